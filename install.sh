#!/bin/sh
# Installs coder-ssh from a release (this script's own directory, as unpacked from
# coder-ssh-<version>-linux-x64.tar.gz) or, in a clone, from the release the build staged in
# dist/target/. Layout: PREFIX/lib/coder-ssh/<version>/ and a stable PREFIX/bin/coder-ssh symlink
# that config-ssh writes into ssh configs, so an upgrade keeps every one of them working.
# Usage: install.sh [--prefix DIR] [--uninstall [--purge]]
set -eu
prog=install.sh
nl='
'
usage() { echo "usage: $prog [--prefix DIR] [--uninstall [--purge]]   (default prefix: ~/.local)"; }
prefix=${HOME:?HOME is not set}/.local
uninstall= purge=
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || { usage >&2; exit 2; }; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "$prog: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -z "$purge" ] || [ -n "$uninstall" ] || { echo "$prog: --purge goes with --uninstall" >&2; exit 2; }
case $prefix in /*) ;; *) prefix=$PWD/$prefix ;; esac
versions=$prefix/lib/coder-ssh
link=$prefix/bin/coder-ssh
manifest=$versions/.installed

# Where coder-ssh keeps sign-ins (as CoderSshHome resolves it).
if [ -n "${CODER_SSH_HOME:-}" ]; then state=$CODER_SSH_HOME
elif [ -n "${XDG_CONFIG_HOME:-}" ]; then state=$XDG_CONFIG_HOME/coder-ssh
elif [ -d /System/Library/CoreServices ]; then state=$HOME/Library/"Application Support"/coder-ssh
else state=$HOME/.config/coder-ssh
fi

ours() { # is $link our symlink (or absent)?
  [ ! -e "$link" ] && [ ! -h "$link" ] && return 0
  [ -h "$link" ] || return 1
  case $(readlink "$link") in "$versions"/*) return 0 ;; *) return 1 ;; esac
}

if [ -n "$uninstall" ]; then
  if [ ! -d "$versions" ]; then
    echo "$prog: coder-ssh is not installed under $prefix" >&2; exit 4
  fi
  ours || { echo "$prog: $link is not the symlink install.sh made; leaving everything as it is" >&2; exit 1; }
  if [ -f "$manifest" ]; then
    while IFS= read -r f; do
      case $f in "$prefix"/*) rm -f -- "$f" ;; esac
    done <"$manifest"
  fi
  rm -f -- "$link"
  rm -rf -- "$versions"
  # Directories this script created, deepest first, only while empty.
  for d in share/fish/vendor_completions.d share/fish share/zsh/site-functions share/zsh \
    share/bash-completion/completions share/bash-completion share bin lib; do
    rmdir -- "$prefix/$d" 2>/dev/null || true
  done
  echo "$prog: removed coder-ssh from $prefix" >&2
  if [ -n "$purge" ]; then
    # Only what coder-ssh writes there, by name and pattern, and then its directories while empty:
    # CODER_SSH_HOME may be a directory that holds more, even a logs/ or cache/ of the user's own.
    purge() { # purge DIR PATTERN...: removes DIR/PATTERN for each, then DIR if that left it empty
      p_dir=$state/$1; shift
      [ -d "$p_dir" ] && [ ! -h "$p_dir" ] || return 0
      for p_pat do
        for p_f in "$p_dir"/$p_pat; do
          if [ -e "$p_f" ] || [ -h "$p_f" ]; then rm -rf -- "$p_f"; fi
        done
      done
      rmdir -- "$p_dir" 2>/dev/null || true
    }
    for d in credentials clients; do purge "$d" '*.json' '*.json.*' '.*.tmp-*' '.*.reserve-*'; done
    purge preferences '*.store' '.*.tmp-*' '.*.reserve-*'
    purge locks '*.lock'
    for d in "$state"/cli/*/; do
      [ -d "$d" ] || continue
      d=${d%/}; purge "cli/${d##*/}" coder coder.exe coder.etag coder.exe.etag config '.coder-*.tmp' '.etag-*.tmp'
    done
    purge cli
    purge cache/plans 'p_*' .write-failed '.tmp-*'
    purge cache 'cds*.jsa' 'cds*.jsa.*.tmp' 'cds-failed' 'cds-failed.*'
    purge logs proxy.log 'proxy.log.*'
    rmdir -- "$state" 2>/dev/null || true
    echo "$prog: deleted the sign-ins, client registrations and caches in $state; the tokens stay valid at each deployment until they expire, and tokens kept in the OS keyring stay there (coder-ssh logout removes both)" >&2
  elif [ -e "$state" ]; then
    echo "$prog: your sign-ins are still in $state (run \`coder-ssh logout <url>\` before uninstalling to revoke them, or $prog --uninstall --purge to delete them)" >&2
  fi
  echo "$prog: ssh config entries written by config-ssh still name $link; remove them with \`coder-ssh config-ssh <url> --remove\` (before uninstalling) or by hand" >&2
  exit 0
fi

# The release to install: this script's directory, or in a clone the one the build staged.
here=$(cd -- "$(dirname -- "$0")" && pwd -P)
src=
if [ -f "$here/VERSION" ] && [ -x "$here/runtime/bin/java" ]; then
  src=$here
else
  for d in "$here"/dist/target/coder-ssh-*/; do
    if [ -f "${d}VERSION" ] && [ -x "${d}runtime/bin/java" ]; then src=${d%/}; fi
  done
fi
if [ -z "$src" ]; then
  echo "$prog: no release next to this script; in a clone build one first: mvn -B -DskipTests package" >&2
  exit 1
fi
version=$(cat "$src/VERSION")
case $version in '' | *[!A-Za-z0-9._-]*) echo "$prog: $src/VERSION is damaged" >&2; exit 1 ;; esac
ours || { echo "$prog: $link exists and is not a coder-ssh install; move it away first" >&2; exit 1; }

dest=$versions/$version
mkdir -p "$versions" "$prefix/bin"
tmp=$versions/.$version.tmp.$$
trap 'rm -rf -- "$tmp"' EXIT
rm -rf -- "$tmp"
mkdir -p "$tmp"
# cp -p keeps the jar's mtime, which the class-data archive was recorded against.
cp -Rp "$src/bin" "$src/lib" "$src/runtime" "$src/install.sh" "$src/VERSION" "$tmp/"
old=
if [ -d "$dest" ]; then old=$versions/.$version.old.$$; mv -- "$dest" "$old"; fi
mv -- "$tmp" "$dest"
# Switch the stable launcher in one rename: a connection starting now gets the old or the new one.
ln -s "$dest/bin/coder-ssh" "$prefix/bin/.coder-ssh.tmp.$$"
mv -f -- "$prefix/bin/.coder-ssh.tmp.$$" "$link"
# Older versions go: every ssh config names the stable launcher, never a versioned one. (A running
# session keeps the files it has open.)
for d in "$versions"/*/ "$versions"/.*.old.*; do
  d=${d%/}
  [ -e "$d" ] && [ "$d" != "$dest" ] && rm -rf -- "$d"
done

# Completion for bash, zsh and fish, where each looks for it under a prefix. Only into a file this
# script made (the last install's manifest lists it) or a new one: never over one it did not make.
old_manifest=
[ ! -f "$manifest" ] || old_manifest=$nl$(cat "$manifest")$nl
: >"$manifest"
for sh in bash:share/bash-completion/completions/coder-ssh zsh:share/zsh/site-functions/_coder-ssh \
  fish:share/fish/vendor_completions.d/coder-ssh.fish; do
  f=$prefix/${sh#*:}
  mkdir -p "${f%/*}"
  case $old_manifest in *"$nl$f$nl"*) ;; *)
    if [ -e "$f" ] || [ -h "$f" ]; then
      echo "$prog: $f exists and is not one install.sh made; leaving it (no ${sh%%:*} completion from it)" >&2; continue
    fi ;;
  esac
  if "$link" completion "${sh%%:*}" >"$f.tmp.$$" 2>/dev/null; then
    mv -f -- "$f.tmp.$$" "$f"; echo "$f" >>"$manifest"
  else
    rm -f -- "$f.tmp.$$"
  fi
done

echo "$prog: installed coder-ssh $version in $dest; the command is $link" >&2
case :${PATH:-}: in
  *:"$prefix/bin":*) ;;
  *) echo "$prog: $prefix/bin is not on your PATH; add it, e.g. export PATH=\"$prefix/bin:\$PATH\"" >&2 ;;
esac
