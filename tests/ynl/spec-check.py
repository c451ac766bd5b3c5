#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check a YNL spec the way the kernel's tools read it, and a bit more.

Usage: spec-check.py --ynl DIR --schema SCHEMA [--rst RST] SPEC

  --ynl DIR        the kernel's tools/net/ynl (its lib/ is imported)
  --schema SCHEMA  e.g. Documentation/netlink/genetlink-legacy.yaml of the
                   same kernel tree

Checks, one "# ..." line per problem, exit status 1 if any:
  schema   SPEC validates against SCHEMA with jsonschema (imported here:
           without it the check fails, it is not skipped)
  load     the kernel's lib.nlspec.SpecFamily loads and resolves SPEC
  refs     every attribute a request, reply or event names is in the
           operation's attribute set, every mcgrp is a group of the spec
  rst      with --rst: every attribute but unused ones appears in RST as
           <FAMILY>_A_<NAME> (the ABI document names them all)
"""
import argparse
import re
import sys

import jsonschema
import yaml


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ynl', required=True)
    ap.add_argument('--schema', required=True)
    ap.add_argument('--rst')
    ap.add_argument('spec')
    args = ap.parse_args()

    problems = []
    with open(args.spec, encoding='utf-8') as f:
        spec = yaml.safe_load(f)
    with open(args.schema, encoding='utf-8') as f:
        schema = yaml.safe_load(f)
    try:
        jsonschema.validate(spec, schema)
    except jsonschema.ValidationError as e:
        problems.append(f'schema: {e.message} at {list(e.absolute_path)}')

    sys.path.insert(0, args.ynl)
    from lib.nlspec import SpecFamily  # noqa: E402  (path set just above)
    try:
        family = SpecFamily(args.spec, args.schema)
    except Exception as e:  # whatever the kernel's loader refuses
        problems.append(f'load: {type(e).__name__}: {e}')
        family = None

    if family is not None:
        for op in family.msgs.values():
            if 'attribute-set' not in op.yaml:
                # a reserved id ("unspec"): no messages, no attributes
                continue
            aset = family.attr_sets[op.yaml['attribute-set']]
            lists = []
            for mode in ('do', 'dump'):
                for part in ('request', 'reply'):
                    lists.append((f'{mode} {part}',
                                  op.yaml.get(mode, {}).get(part, {})))
            lists.append(('event', op.yaml.get('event', {})))
            for where, sub in lists:
                for name in sub.get('attributes', []):
                    if name not in aset.attrs:
                        problems.append(f'refs: {op.name} {where}: no '
                                        f'attribute {name} in {aset.name}')
            grp = op.yaml.get('mcgrp')
            if grp is not None and grp not in family.mcast_groups:
                problems.append(f'refs: {op.name}: no mcast group {grp}')

    if args.rst and family is not None:
        with open(args.rst, encoding='utf-8') as f:
            rst = f.read()
        for aset in family.attr_sets.values():
            prefix = aset.yaml.get('name-prefix', f'{family.name}-a-')
            for attr in aset.attrs.values():
                if attr.type == 'unused':
                    continue
                cname = (prefix + attr.name).upper().replace('-', '_')
                # whole words: RDPPRN_A_JOB is not RDPPRN_A_JOBS
                if not re.search(rf'\b{cname}\b', rst):
                    problems.append(f'rst: {cname} is not in {args.rst}')

    for p in problems:
        print(f'# {p}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
