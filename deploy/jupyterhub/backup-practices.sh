#!/bin/sh
# Encrypted backups of every therapist's practice folder: one archive per therapist.
#
#   sudo deploy/jupyterhub/backup-practices.sh AGE_RECIPIENT OUT_DIR [HOMES]
#
# AGE_RECIPIENT  the practice's backup public key (age1...); its private key stays
#                offline, so a copy of the server cannot open the backups
# OUT_DIR        where the archives go: OUT_DIR/<user>-<date>.tar.age (mode 0600)
# HOMES          the folder holding the home folders (default /home)
#
# Runs as root and needs sqlite3 and age (apt-get install sqlite3 age). Each
# therapist's folder is read as that therapist: SQLite's own backup gives a
# consistent copy even while a journal is open, and nothing in their folder is
# created as root. Restore one therapist (their server stopped):
#
#   age -d -i backup-key.txt alice-2026-11-25.tar.age | runuser -u alice -- tar -C ~alice/rekindle-practice -xf -
set -eu
[ $# -ge 2 ] || { echo "usage: $0 AGE_RECIPIENT OUT_DIR [HOMES]" >&2; exit 2; }
recipient=$1
out=$2
homes=${3:-/home}
umask 077
mkdir -p "$out"
day=$(date +%Y-%m-%d)
for practice in "$homes"/*/rekindle-practice; do
  [ -d "$practice" ] || continue
  user=$(stat -c %U "$practice")
  stage=$(runuser -u "$user" -- mktemp -d)
  runuser -u "$user" -- sh -c '
    set -eu
    umask 077
    cd "$1"
    for d in c-*; do
      [ -d "$d" ] || continue
      mkdir -p "$2/$d"
      cp -p "$d/client.json" "$2/$d/"
      if [ -f "$d/journal.sqlite" ]; then sqlite3 "$d/journal.sqlite" ".backup $2/$d/journal.sqlite"; fi
    done' sh "$practice" "$stage"
  tar -C "$stage" -cf - . | age -r "$recipient" > "$out/$user-$day.tar.age"
  rm -rf "$stage"
  echo "backed up $practice to $out/$user-$day.tar.age"
done
