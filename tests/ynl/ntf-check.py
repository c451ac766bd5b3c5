#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check what cli.py --subscribe monitor --output-json printed.

Usage: ntf-check.py FILE CLIENT PRINTER

FILE holds cli.py's JSON list of notifications ({"name": ..., "msg":
{...}}). A client CLIENT that announced one printer PRINTER and left must
show as: session-event with session-state 1 and client-name CLIENT,
device-new and device-del of PRINTER in that session, session-event with
session-state 0 for it; the session's start first and its end after its
device appeared. Prints the problems, or one line saying what was seen;
exit status 1 on a problem.
"""
import json
import sys


def main():
    path, client, printer = sys.argv[1:4]
    with open(path, encoding='utf-8') as f:
        text = f.read()
    try:
        ntfs = json.loads(text)
    except json.JSONDecodeError as e:
        print(f'not JSON ({e}): {text[:300]}')
        return 1
    starts = [i for i, n in enumerate(ntfs)
              if n['name'] == 'session-event'
              and n['msg'].get('client-name') == client
              and n['msg'].get('session-state') == 1]
    if len(starts) != 1:
        print(f'{len(starts)} session-event starts of {client}: {ntfs}')
        return 1
    sid = ntfs[starts[0]]['msg']['session-id']

    def find(name, **want):
        for i, n in enumerate(ntfs):
            m = n['msg']
            if n['name'] == name and m.get('session-id') == sid and \
                    all(m.get(k) == v for k, v in want.items()):
                return i
        return None

    new = find('device-new', **{'printer-name': printer})
    gone = find('device-del', **{'printer-name': printer})
    end = find('session-event', **{'session-state': 0})
    problems = []
    if new is None:
        problems.append(f'no device-new of "{printer}"')
    if gone is None:
        problems.append(f'no device-del of "{printer}"')
    if end is None:
        problems.append('no session-event with session-state 0')
    if not problems:
        if not starts[0] < new < gone:
            problems.append('start, device-new, device-del out of order')
        if not new < end:
            problems.append('the session ended before its device appeared')
    if problems:
        print(f'session {sid}: ' + '; '.join(problems) + f': {ntfs}')
        return 1
    print(f'session {sid} of {client}: session-event 1, device-new '
          f'"{printer}" ({ntfs[new]["msg"].get("dev-name")}), device-del, '
          f'session-event 0 ({len(ntfs)} notifications)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
