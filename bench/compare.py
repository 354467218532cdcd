#!/usr/bin/env python3
"""purpose-lint side by side with cat, rg and peer prose linters.

Generates charter corpora with the team's generator (../shared/perf/make_corpus.py),
installs the peers it can (proselint from PyPI, write-good and alex from npm,
ripgrep from Debian), and prints one Markdown table: for each tool and corpus
size, the mean wall time over hyperfine runs, the mean CPU time (user +
system), files/s, MB/s and peak RSS (/usr/bin/time). Ratios are measured in one run on one machine: compare rows,
not absolute numbers across machines.

Usage: python3 bench/compare.py [--sizes 1,1000,10000] [--runs 5] [--peers proselint,write-good,alex]
       [--shared ../shared] [--work target/bench] [--no-install] [--no-real]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, **kw)


def corpus_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def vague_words(words_file):
    """The default packs' vague words, for `rg -f`: one fixed string a line."""
    with open(os.path.join(ROOT, "rules", "lexicons.toml"), "rb") as f:
        lex = tomllib.load(f)["lexicon"]
    words = []
    for name in ("vague-outcome", "vague-audience", "vague-participation", "weak-aim"):
        value = lex[name]
        words += value["words"] if isinstance(value, dict) else value
    with open(words_file, "w", encoding="utf-8") as f:
        f.write("\n".join(sorted(set(words))) + "\n")
    return len(set(words))


def install_peers(work, peers):
    """Installs the peers; returns {name: command prefix} for those that work."""
    found = {}
    if "proselint" in peers:
        venv = os.path.join(work, "venv")
        if not os.path.exists(os.path.join(venv, "bin", "proselint")):
            sh(f"python3 -m venv {venv} && {venv}/bin/pip install --quiet proselint")
        found["proselint"] = f"{venv}/bin/proselint check"
    node = [p for p in peers if p in ("write-good", "alex")]
    if node:
        prefix = os.path.join(work, "node")
        missing = [p for p in node if not os.path.exists(os.path.join(prefix, "node_modules", ".bin", p))]
        if missing:
            sh(f"npm install --silent --no-audit --no-fund --prefix {prefix} {' '.join(missing)}")
        for p in node:
            found[p] = os.path.join(prefix, "node_modules", ".bin", p)
    return found


def peak_rss_mb(command):
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "sh", "-c", command + " > /dev/null 2>&1"],
        capture_output=True, text=True,
    )
    try:
        return int(out.stderr.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return float("nan")


def mean_seconds(command, runs, work):
    export = os.path.join(work, "hyperfine.json")
    subprocess.run(
        ["hyperfine", "--warmup", "1", "--runs", str(runs), "--ignore-failure", "--export-json", export,
         "--style", "none", command],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    with open(export) as f:
        r = json.load(f)["results"][0]
    return r["mean"], r["stddev"] or 0.0, r["user"] + r["system"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1,1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peers", default="proselint,write-good,alex")
    ap.add_argument("--peer-max-files", type=int, default=1000,
                    help="skip peers on corpora larger than this (they take minutes)")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "bench"))
    ap.add_argument("--no-install", action="store_true")
    ap.add_argument("--no-real", action="store_true",
                    help="skip the row of real charters from the shared corpus")
    args = ap.parse_args()

    make = os.path.join(args.shared, "perf", "make_corpus.py")
    if not os.path.exists(make):
        sys.exit(f"compare: {make} is missing (the team's corpus generator)")
    os.makedirs(args.work, exist_ok=True)
    if shutil.which("rg") is None or shutil.which("hyperfine") is None:
        if args.no_install:
            sys.exit("compare: needs rg and hyperfine (apt-get install ripgrep hyperfine)")
        sh("apt-get install -y -qq ripgrep hyperfine > /dev/null")
    sh("cargo build --release --quiet", cwd=ROOT)
    lint = os.path.join(ROOT, "target", "release", "purpose-lint")
    words = os.path.join(args.work, "vague-words.txt")
    n_words = vague_words(words)
    peers = [] if args.no_install and not args.peers else [p for p in args.peers.split(",") if p]
    peer_cmds = install_peers(args.work, peers) if peers else {}

    sizes = [int(s) for s in args.sizes.split(",")]
    corpus = os.path.join(args.work, "corpus")
    sh(f"python3 {make} --sizes {','.join(map(str, sizes))} --root {corpus} > /dev/null")

    # Generated charters by size, then the real ones: real text has curly
    # quotes, dashes and longer sections that the generated corpus lacks.
    corpora = []
    for n in sizes:
        folder = os.path.join(corpus, f"c{n}")
        files = sorted(os.listdir(folder))
        corpora.append((str(n), n, os.path.join(folder, files[0]) if n == 1 else folder))
    real = os.path.join(args.shared, "corpus", "charters")
    if not args.no_real:
        if not os.path.isdir(real):
            sys.exit(f"compare: {real} is missing (the team's real charters); --no-real skips them")
        corpora.append((f"{len(os.listdir(real))} real", len(os.listdir(real)), real))

    rows = []
    for label, n, target in corpora:
        glob = target if os.path.isfile(target) else f"{target}/*"
        size = corpus_bytes(target)
        tools = {
            "purpose-lint": f"{lint} --format concise --fail-on never {target}",
            "purpose-lint (1 thread)": f"{lint} --no-parallel --format concise --fail-on never {target}",
            "cat": f"cat {glob}",
            "rg -c -i -w -f WORDS": f"rg -c -i -w -f {words} {target}",
        }
        if n <= args.peer_max_files:
            for name, cmd in peer_cmds.items():
                tools[name] = f"{cmd} {glob}"
        for name, cmd in tools.items():
            mean, sd, cpu = mean_seconds(cmd + " > /dev/null", args.runs, args.work)
            rss = peak_rss_mb(cmd)
            rows.append((label, name, mean, sd, cpu, n / mean, size / mean / 1e6, rss))
            print(f"  {label:>8} files  {name:<26} {mean:8.4f} s", file=sys.stderr)

    real_note = "" if args.no_real else "; real: the shared corpus's real charters"
    print(f"\nCorpus: make_corpus.py, {', '.join(f'{n} files' for n in sizes)}{real_note}; "
          f"rg word list: {n_words} vague words from rules/lexicons.toml; "
          f"{args.runs} runs after a warm-up (hyperfine); peak RSS from /usr/bin/time.\n")
    # CPU time (user + system) moves less than wall time on a shared
    # machine, and shows what parallelism hides: work, not waiting.
    print("| files | tool | wall (mean ± sd) | CPU | files/s | MB/s | peak RSS | vs rg | CPU vs rg |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    rg = {label: (m, c) for label, t, m, _, c, *_ in rows if t.startswith("rg ")}
    for label, name, mean, sd, cpu, fps, mbs, rss in rows:
        rg_wall, rg_cpu = rg[label]
        print(f"| {label} | {name} | {mean * 1000:.1f} ± {sd * 1000:.1f} ms | {cpu * 1000:.1f} ms | "
              f"{fps:,.0f} | {mbs:.2f} | {rss:.1f} MB | {mean / rg_wall:.1f}x | {cpu / rg_cpu:.1f}x |")


if __name__ == "__main__":
    main()
