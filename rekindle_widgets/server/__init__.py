"""The app as a web server: Voila on loopback with our template and settings (:mod:`.appserver`), and the
practice's JupyterHub hook (:mod:`.hub`). ``app.ipynb`` is the one notebook Voila serves;
``jupyter_data``/``jupyter_config`` hold the template and the settings that select it.
"""
