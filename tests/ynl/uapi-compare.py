#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two UAPI headers by what C sees, not by their text.

Usage: uapi-compare.py [--cc CC] [--workdir DIR] GENERATED REAL

GENERATED is the header ynl-gen-c.py renders from the YNL spec, REAL is
include/uapi/linux/rdpprn.h. The two differ in text (REAL has #defines
where the generator writes an anonymous enum, its own comments and
order), so the comparison is semantic:

1. the same names: every #define with a value and every enumerator of one
   header is a #define or an enumerator of the other;
2. the same enum tags (enum rdpprn_cmd, ...);
3. the same values: for each header a C program that includes only that
   header prints every name with its value (a string or an integer, as C
   evaluates it), and the two outputs must be equal.

Prints what differs; exit status 0 when they agree, 1 when they do not, 2
on a usage error or when a header does not compile.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    return re.sub(r'//[^\n]*', ' ', text)


def names_of(path):
    """(#define names with a value, enumerators, enum tags) of a header."""
    text = strip_comments(open(path, encoding='utf-8').read())
    defines = []
    for m in re.finditer(r'^\s*#\s*define\s+([A-Za-z_]\w*)(\(?)[ \t]*(\S.*)?$',
                         text, flags=re.M):
        name, paren, value = m.groups()
        # the include guard has no value; a function-like macro no ABI value
        if value is None or paren:
            continue
        defines.append(name)
    enumerators = []
    tags = []
    for m in re.finditer(r'\benum\s+(\w+)?\s*\{(.*?)\}', text, flags=re.S):
        if m.group(1):
            tags.append(m.group(1))
        for item in m.group(2).split(','):
            item = item.strip()
            if not item:
                continue
            em = re.match(r'([A-Za-z_]\w*)\s*(=.*)?$', item, flags=re.S)
            if not em:
                raise ValueError(f'{path}: cannot read enumerator {item!r}')
            enumerators.append(em.group(1))
    return defines, enumerators, tags


PROGRAM = r'''#include <stdio.h>
#include "%(header)s"

static void print_s(const char *name, const char *v)
{
	printf("%%s \"%%s\"\n", name, v);
}

static void print_i(const char *name, long long v)
{
	printf("%%s %%lld\n", name, v);
}

/* a string literal decays to char *: a string define prints as a string */
#define P(x) _Generic((x), char *: print_s, const char *: print_s, \
		      default: print_i)(#x, (x))

int main(void)
{
%(tags)s
%(prints)s
	return 0;
}
'''


def values_of(header, names, tags, cc, workdir, label):
    src = os.path.join(workdir, f'{label}.c')
    exe = os.path.join(workdir, label)
    with open(src, 'w', encoding='utf-8') as f:
        f.write(PROGRAM % {
            'header': os.path.abspath(header),
            # a tag missing from this header does not compile
            'tags': '\n'.join(f'\t(void)sizeof(enum {t});' for t in tags),
            'prints': '\n'.join(f'\tP({n});' for n in names),
        })
    cmd = [cc, '-std=gnu11', '-Wall', '-Werror', '-o', exe, src]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode:
        print(f'# {label}: {header} does not compile with the names of '
              f'both headers:\n{res.stderr}', end='')
        return None
    return subprocess.run([exe], capture_output=True, text=True,
                          check=True).stdout.splitlines()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--cc', default=os.environ.get('CC', 'cc'))
    ap.add_argument('--workdir')
    ap.add_argument('generated')
    ap.add_argument('real')
    args = ap.parse_args()

    workdir = args.workdir or tempfile.mkdtemp(prefix='uapi-compare.')
    gen = names_of(args.generated)
    real = names_of(args.real)
    ok = True
    # A #define and an enumerator are both a constant to C: the header's
    # RDPPRN_PRINTER_F_* are #defines, the generator writes an enum.
    for kind, g, r in (('name', gen[0] + gen[1], real[0] + real[1]),
                       ('enum tag', gen[2], real[2])):
        for n in sorted(set(g) - set(r)):
            print(f'# {kind} {n}: in the spec, not in {args.real}')
            ok = False
        for n in sorted(set(r) - set(g)):
            print(f'# {kind} {n}: in {args.real}, not in the spec')
            ok = False
    if not ok:
        return 1

    names = gen[0] + gen[1]
    gv = values_of(args.generated, names, gen[2], args.cc, workdir,
                   'generated')
    rv = values_of(args.real, names, gen[2], args.cc, workdir, 'real')
    if gv is None or rv is None:
        return 2
    for g, r in zip(gv, rv):
        if g != r:
            print(f'# value differs: spec "{g}", header "{r}"')
            ok = False
    if ok:
        print(f'# {len(names)} names and {len(gen[2])} enum tags agree')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
