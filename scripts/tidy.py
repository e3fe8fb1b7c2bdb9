#!/usr/bin/env python3
# clang-tidy over every module's sources, skipping the files whose exact input was already found clean.
#
# clang-tidy costs 10-15 s per file on 2 cores (its matchers walk every system header's AST), over 20 CPU-minutes for
# the tree: too slow to run in full on every `make test`. A file's result depends only on its input, so each clean
# result is remembered under a key that covers all of it:
#   clang-tidy's version, .clang-tidy, the file's path in the repository, its compile flags, and its preprocessed
#   text with comments and macro definitions kept (every header it includes, system headers too; NOLINT comments
#   included), with the checkout's and the build directory's absolute paths replaced so that clones share keys.
# A file whose key is known clean is not checked again; any change to what it sees makes a new key and it is checked.
# Findings are never remembered: a file with findings is checked on every run.
#
# Known-clean keys come from two places:
#   - the local cache, one empty file per key under $PGADVISOR_TIDY_CACHE (default ~/.cache/pgadvisor/tidy);
#   - scripts/tidy_clean.txt, committed: the keys of the tree's files when last checked with --record, so that a fresh
#     CI machine checks only what changed since (same Debian packages, same keys).
#
# Usage: tidy.py BUILD_DIR FILE... [--record] [--no-cache] [--jobs N]
#   --record   rewrite scripts/tidy_clean.txt with the keys of exactly the given files, when all are clean
#   --no-cache check every file (still records clean results)
# Exit 0 when every file is clean, 1 when clang-tidy found problems, 3 on a setup error.
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), '..'))
RECORD = os.path.join(ROOT, 'scripts', 'tidy_clean.txt')
CHATTER = re.compile(r'^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$')


def fail_setup(message):
    print(f'tidy: {message}', file=sys.stderr)
    sys.exit(3)


def compile_arguments(entry):
    args = entry['arguments'] if 'arguments' in entry else shlex.split(entry['command'])
    kept, skip = [], False
    for arg in args[1:]:
        if skip:
            skip = False
        elif arg == '-o':
            skip = True
        elif arg not in ('-c', entry['file']):
            kept.append(arg)
    return kept


def preprocessor():
    for name in ('clang++-14', 'clang++'):
        path = shutil.which(name)
        if path:
            return path
    fail_setup('clang++ is missing (scripts/bootstrap.sh installs clang-14)')


def normalise(text, build):
    # Absolute paths differ between clones; what they name does not.
    return text.replace(os.path.realpath(build).encode(), b'<build>').replace(ROOT.encode(), b'<root>')


def file_key(path, entry, build, common, cxx):
    args = compile_arguments(entry)
    pre = subprocess.run([cxx, *args, '-E', '-C', '-dD', '-w', entry['file']], cwd=entry['directory'],
                         capture_output=True, check=False)
    if pre.returncode != 0:
        return None  # clang-tidy will report why; never cache it
    digest = hashlib.sha256(common)
    digest.update(path.encode() + b'\0')
    digest.update(normalise(' '.join(args).encode(), build) + b'\0')
    digest.update(normalise(pre.stdout, build))
    return digest.hexdigest()


def run_tidy(path, build, nice):
    cmd = ['clang-tidy', '-p', build, '--quiet', os.path.join(ROOT, path)]
    if nice:
        cmd = ['nice', '-n', str(nice), *cmd]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if not CHATTER.match(line)]
    return done.returncode, '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('build')
    parser.add_argument('files', nargs='+')
    parser.add_argument('--record', action='store_true')
    parser.add_argument('--no-cache', action='store_true')
    parser.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    parser.add_argument('--nice', type=int, default=0)
    options = parser.parse_args()

    database = os.path.join(options.build, 'compile_commands.json')
    if not os.path.isfile(database):
        fail_setup(f'{database} is missing: build first (make test)')
    if not shutil.which('clang-tidy'):
        fail_setup('clang-tidy is missing (scripts/bootstrap.sh installs it)')
    with open(database, encoding='utf-8') as f:
        entries = {os.path.realpath(os.path.join(e['directory'], e['file'])): e for e in json.load(f)}
    version = subprocess.run(['clang-tidy', '--version'], capture_output=True, check=True).stdout
    with open(os.path.join(ROOT, '.clang-tidy'), 'rb') as f:
        common = version + b'\0' + f.read() + b'\0'
    cache = os.environ.get('PGADVISOR_TIDY_CACHE') or os.path.join(
        os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'pgadvisor', 'tidy')
    os.makedirs(cache, exist_ok=True)
    recorded = set()
    if os.path.isfile(RECORD) and not options.no_cache:
        with open(RECORD, encoding='utf-8') as f:
            recorded = {line.split()[0] for line in f if line.strip() and not line.startswith('#')}
    cxx = preprocessor()

    def check(path):
        entry = entries.get(os.path.realpath(os.path.join(ROOT, path)))
        if entry is None:
            return path, None, 1, f'tidy: {path} is not in {database}: rerun cmake'
        key = file_key(path, entry, options.build, common, cxx)
        if key and not options.no_cache and (key in recorded or os.path.exists(os.path.join(cache, key))):
            return path, key, 0, None
        rc, output = run_tidy(path, options.build, options.nice)
        if rc == 0 and key:
            open(os.path.join(cache, key), 'w', encoding='utf-8').close()
        return path, key, rc, output

    started = time.monotonic()
    keys, problems, checked = {}, [], 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        for path, key, rc, output in pool.map(check, options.files):
            keys[path] = key
            if output is not None:
                checked += 1
            if rc != 0:
                problems.append(path)
                print(output or f'tidy: clang-tidy failed on {path}', flush=True)
    print(f'tidy: {len(options.files)} files, {len(options.files) - checked} known clean, {checked} checked, '
          f'{len(problems)} with findings ({time.monotonic() - started:.0f} s)', file=sys.stderr)
    if problems:
        print('tidy: clang-tidy found problems in ' + ' '.join(problems), file=sys.stderr)
        return 1
    if options.record:
        with open(RECORD, 'w', encoding='utf-8') as f:
            f.write('# Keys of files clang-tidy found clean (scripts/tidy.py --record; `make tidy` rewrites it).\n')
            for path in sorted(keys):
                if keys[path]:
                    f.write(f'{keys[path]} {path}\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
