#!/usr/bin/env python3
"""What a user would write instead of report-pipes' jsonl transform: every CSV page to JSON Lines, stdlib only."""
import csv
import json
import sys

out_dir = sys.argv[1]
for page in sys.argv[2:]:
    with open(page, newline="", encoding="utf-8") as source, \
            open(out_dir + "/" + page.rsplit("/", 1)[-1] + ".jsonl", "w", encoding="utf-8") as target:
        for row in csv.DictReader(source):
            target.write(json.dumps(row, ensure_ascii=False))
            target.write("\n")
