#!/usr/bin/python3
"""Scores a folder of DICOM files against a pseudophi answer key the way the MIDI-B validation script does,
for test/interop/generate-midi-b-score.test.ts. Independent of pseudophi's TypeScript scorer: reimplemented
from /work/shared/reference/midi-b-answer-key.md (sections 1-4) on pydicom, indexing with midi_b_index.py
(section 3), reading answer_key.db with sqlite3 and each row's AnswerData JSON.

Run with Debian's /usr/bin/python3 (python3-pydicom). Request on stdin, answer on stdout, both JSON:

Request:  {"answer_key": "DIR/answer_key.db", "files": "folder of the de-identified files",
           "uid_map": "identity" | {old: new}, "patid_map": "identity" | {old: new}}
          "identity" maps every UID (every UI value at any depth) and every Patient ID found in the scored
          files to itself: the scored files are taken as a de-identifier's output that changed nothing.
Answer:   {"pydicom": version, "files": n scored files, "unreadable": [...], "instances": key rows,
           "missing": key rows without a file, "format_problems": [...],
           "actions": {action: {"passed": n, "failed": n, "blank": n}},
           "rules": {"text_removed"|"text_retained": {"number"|"substring"|"tokens"|"absent"|"blank": n}},
           "examples": {action: {"passed": [...], "failed": [...], "blank": [...]}}  (at most 5 each),
           "tokens_check": {"texts": n, "agree": n, "differ": [...]}: this file's tokens of every distinct
           text-check text against the key's `tokens` column (pseudophi's TypeScript port of NLTK)}

Scoring (section 4; comparisons lower-cased with every "<" and ">" removed; "present" = the tag_ds path is
in the file's index):
  text_removed      absent, empty, or validate_text(file, action_text, remove)        missing file: pass
  text_retained     present, non-empty, and validate_text(file, action_text, retain)  missing file: fail
  tag_retained      present                                                           missing file: fail
  text_notnull      present and the value is not empty                                missing file: fail
  date_shifted      absent, or value (backslashes removed) not a substring of it       missing file: pass
  uid_changed       same rule as date_shifted                                         missing file: pass
  uid_consistent    absent, or file value == uid_map[value]                           missing file: fail
  patid_consistent  absent, or file value == patid_map[value]                         missing file: fail
  pixels_retained   MD5 of the stored Pixel Data bytes == action_text                 missing file: fail
  pixels_hidden     needs OCR: not scored here (blank)                                missing file: pass

validate_text(file, expected, method): numbers ("digits with at most one dot") compare as floats; else a
substring expected-in-file decides (retain passes, remove fails); else expected is tokenized, stop-words and
punctuation dropped, and each token is searched as a substring of the file value: retain passes when all
remain, remove when none remain; no token left is the script's blank (a division by zero).

APPROXIMATION of NLTK (not installed here): the script tokenizes with NLTK word_tokenize (Punkt sentence
splitting, then the Treebank word tokenizer) and drops nltk.corpus.stopwords.words('english') and
string.punctuation. This file instead
  - splits sentences after ".", "!" or "?" followed by white space (Punkt would not split after the
    abbreviations and initials its trained English model knows, e.g. "dr.": there NLTK keeps "dr." as
    one token where this keeps "dr" and drops "." -- the same outcome unless the file has "dr" without
    its period);
  - applies the Treebank rules that matter for pseudophi's texts: quotes become `` and '' tokens,
    the sentence-final period, ",", ":" (not between digits), ";", "@", "#", "$", "%", "&", "?", "!", "*",
    brackets and "--" become tokens of their own, "..." stays one token, clitics 's 'm 'd 'll 're 've n't
    are split off; "-" and "/" and "." inside a word never split it (so "(555)123-4567x89" gives "(",
    "555", ")", "123-4567x89", and "j.doe@mail.org" gives "j.doe", "@", "mail.org"). NLTK's special
    cases cannot/gonna/gimme/'tis and Unicode quote forms are left out;
  - drops NLTK's 179 English stop-words (the 2025 additions are contractions word_tokenize always splits,
    so they never match a token) and single-character string.punctuation plus the script's extra
    punctuation; multi-character punctuation such as '' or -- is kept, as in the script.
In a self-score (the key's own output scored) every expected text is a substring of its value, so the
token rule is not reached; the "rules" counts in the answer show how often each rule decided.
"""
import hashlib
import json
import os
import re
import sqlite3
import string
import sys
import warnings

warnings.simplefilter("ignore")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pydicom  # noqa: E402
from midi_b_index import index_dataset  # noqa: E402

ACTIONS = (
    "text_removed",
    "text_retained",
    "tag_retained",
    "text_notnull",
    "date_shifted",
    "uid_changed",
    "uid_consistent",
    "patid_consistent",
    "pixels_retained",
    "pixels_hidden",
)
ENTRY_KEYS = (
    "action",
    "action_text",
    "value",
    "tag",
    "tag_ds",
    "tag_name",
    "scope",
    "answer_category",
    "answer_category_v2",
)
CATEGORY_SHAPE = {"hipaa": ("z", "m"), "dicom": ("p15", "iod", "safe"), "tcia": ("ptkb", "p15", "rev")}
TAG_DS = re.compile(
    r'^(?:<\((?:[0-9a-f]{4},[0-9a-f]{4}|[0-9a-f]{4},"[^"]*",[0-9a-f]{2})\)>(?:\[<\d{4}>\](?=<))?)+$'
)

# NLTK's English stop-word list (nltk_data corpora/stopwords/english, 179 words).
STOPWORDS = set(
    """i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself yourselves
    he him his himself she she's her hers herself it it's its itself they them their theirs themselves what
    which who whom this that that'll these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again further
    then once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don don't should should've now d ll m o re ve y ain
    aren aren't couldn couldn't didn didn't doesn doesn't hadn hadn't hasn hasn't haven haven't isn isn't
    ma mightn mightn't mustn mustn't needn needn't shan shan't shouldn shouldn't wasn wasn't weren weren't
    won won't wouldn wouldn't""".split()
)
PUNCTUATION = set(string.punctuation) | {"\u201c", "\u201d", "\u2018", "\u2019", "``", "\u2022"}

# The Treebank rules kept (see APPROXIMATION above), in NLTK's order.
TREEBANK = [
    (re.compile(r'^"'), r"``"),
    (re.compile(r"(``)"), r" \1 "),
    (re.compile(r"([ (\[{<])(\"|'{2})"), r"\1 `` "),
    (re.compile(r"([^.])(\.)([\])}>\"']*)\s*$"), r"\1 \2\3 "),
    (re.compile(r"([:,])([^\d])"), r" \1 \2"),
    (re.compile(r"([:,])$"), r" \1 "),
    (re.compile(r"\.{2,}"), r" \g<0> "),
    (re.compile(r"[;@#$%&]"), r" \g<0> "),
    (re.compile(r"[?!]"), r" \g<0> "),
    (re.compile(r"([^'])' "), r"\1 ' "),
    (re.compile(r"[*]"), r" \g<0> "),
    (re.compile(r"[\]\[(){}<>]"), r" \g<0> "),
    (re.compile(r"--"), r" -- "),
]
ENDING = [
    (re.compile(r"''"), " '' "),
    (re.compile(r'"'), " '' "),
    (re.compile(r"\s+"), " "),
    (re.compile(r"([^' ])('[sS]|'[mM]|'[dD]|') "), r"\1 \2 "),
    (re.compile(r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), r"\1 \2 "),
]


def word_tokenize(text):
    tokens = []
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        for pattern, repl in TREEBANK:
            sentence = pattern.sub(repl, sentence)
        sentence = " " + sentence + " "
        for pattern, repl in ENDING:
            sentence = pattern.sub(repl, sentence)
        tokens.extend(sentence.split())
    return tokens


def tokens_of(text):
    """The tokens validate_text searches for: normalized, tokenized, stop-words and punctuation dropped."""
    return [t for t in word_tokenize(normalize(text)) if t not in STOPWORDS and t not in PUNCTUATION]


def normalize(text):
    return text.replace("<", "").replace(">", "").lower()


def is_number(text):
    return text.replace(".", "", 1).isdigit()


def validate_text(file_value, expected, retain):
    """(passed or None for blank, rule)."""
    value = normalize(file_value)
    answer = normalize(expected)
    if is_number(value) and is_number(answer):
        same = float(value) == float(answer)
        return (same if retain else not same), "number"
    if answer in value:
        return retain, "substring"
    tokens = tokens_of(answer)
    if not tokens:
        return None, "blank"
    kept = sum(1 for t in tokens if t in value)
    return (kept == len(tokens) if retain else kept == 0), "tokens"


def unwrap(text):
    return None if text is None else normalize(text)


def score_check(check, scored, uid_map, patid_map):
    """(passed: True/False/None, rule or None)."""
    action = unwrap(check["action"])
    missing = scored is None
    values = {} if missing else scored["values"]
    path = check["tag_ds"]
    present = path in values
    file_value = values.get(path, "")
    empty = normalize(file_value) == ""
    if action == "text_removed":
        if missing or not present or empty:
            return True, "absent"
        return validate_text(file_value, check["action_text"] or "", retain=False)
    if action == "text_retained":
        if missing or not present or empty:
            return False, "absent"
        return validate_text(file_value, check["action_text"] or "", retain=True)
    if action == "tag_retained":
        return (not missing and present), None
    if action == "text_notnull":
        return (not missing and present and not empty), None
    if action in ("date_shifted", "uid_changed"):
        if missing or not present:
            return True, None
        old = normalize(check["value"].replace("\\", ""))
        return old not in normalize(file_value), None
    if action in ("uid_consistent", "patid_consistent"):
        if missing:
            return False, None
        if not present:
            return True, None
        mapping = uid_map if action == "uid_consistent" else patid_map
        return file_value == mapping.get(unwrap(check["value"])), None
    if action == "pixels_retained":
        return (not missing and scored["pixel_md5"] == unwrap(check["action_text"])), None
    return None, None  # pixels_hidden: OCR


def check_format(entry, where, problems):
    """The section 2 rules whose breach loses checks or crashes the script."""
    for key in ENTRY_KEYS:
        if key not in entry:
            problems.append("%s: no key %s" % (where, key))
            return
    for key in ("action", "value", "tag", "tag_ds", "tag_name"):
        text = entry[key]
        if not isinstance(text, str) or not (text.startswith("<") and text.endswith(">")):
            problems.append("%s: %s is not wrapped: %r" % (where, key, text))
    text = entry["action_text"]
    if text is not None and not (isinstance(text, str) and text.startswith("<") and text.endswith(">")):
        problems.append("%s: action_text is not wrapped: %r" % (where, text))
    if unwrap(entry["action"]) not in ACTIONS:
        problems.append("%s: unknown action %r" % (where, entry["action"]))
    if entry["scope"] != "<Instance>":
        problems.append("%s: scope %r" % (where, entry["scope"]))
    if not TAG_DS.match(entry["tag_ds"] or ""):
        problems.append("%s: tag_ds %r is not in the indexer's form" % (where, entry["tag_ds"]))
    v2 = entry["answer_category_v2"]
    if not isinstance(v2, dict) or set(v2) != {"hipaa", "dicom", "tcia", "prev_cat"}:
        problems.append("%s: answer_category_v2 %r" % (where, v2))
        return
    for group, keys in CATEGORY_SHAPE.items():
        if not isinstance(v2[group], dict) or set(v2[group]) != set(keys):
            problems.append("%s: answer_category_v2.%s %r" % (where, group, v2[group]))
            return
    action = unwrap(entry["action"])
    if action == "text_removed" and not any(
        (v2["hipaa"]["m"], v2["hipaa"]["z"], v2["tcia"]["p15"], v2["tcia"]["ptkb"], v2["tcia"]["rev"])
    ):
        problems.append("%s: text_removed without a category" % where)
    if action == "text_retained" and not any((v2["tcia"]["p15"], v2["tcia"]["ptkb"], v2["tcia"]["rev"])):
        problems.append("%s: text_retained without a category" % where)
    if action in ("text_removed", "text_retained") and not (entry["action_text"] or "").strip("<>"):
        problems.append("%s: empty action_text" % where)


def read_files(folder, unreadable):
    """Every DICOM file under the folder, by SOP Instance UID: its index and Pixel Data MD5."""
    files = {}
    uids = set()
    patient_ids = set()
    for root, _dirs, names in os.walk(folder):
        for name in sorted(names):
            path = os.path.join(root, name)
            try:
                ds = pydicom.dcmread(path)  # no force: the script needs the preamble and DICM
                sop = str(ds.SOPInstanceUID)
            except Exception as error:
                unreadable.append("%s: %s: %s" % (path, type(error).__name__, error))
                continue
            rows = index_dataset(ds)
            values = {}
            for tag_ds, vr, _name, value in rows:
                values.setdefault(tag_ds, value)
                if vr == "UI" and value:
                    uids.update(value.strip("[]").replace("'", "").split(", "))
            patient_ids.add(str(ds.get("PatientID", "")))
            md5 = hashlib.md5(bytes(ds.PixelData)).hexdigest() if "PixelData" in ds else None
            files[sop] = {"values": values, "pixel_md5": md5}
    return files, uids, patient_ids


def identity_or(mapping, found):
    return {v: v for v in found} if mapping in (None, "identity") else mapping


def tokens_cross_check(db):
    """This tokenizer against the `tokens` column pseudophi writes (its TypeScript port of NLTK), over every
    distinct text of a text check: how far the approximation above agrees. Reported, not scored."""
    result = {"texts": 0, "agree": 0, "differ": []}
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checks'").fetchone():
        return result
    query = "SELECT DISTINCT action_text, tokens FROM checks WHERE action IN (?, ?)"
    for text, tokens in db.execute(query, ("text_removed", "text_retained")):
        mine = tokens_of(text or "")
        result["texts"] += 1
        if mine == json.loads(tokens):
            result["agree"] += 1
        elif len(result["differ"]) < 5:
            result["differ"].append({"text": text, "here": mine, "key": json.loads(tokens)})
    return result


KEY_COLUMNS = (
    "SOPInstanceUID",
    "PatientID",
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SOPClassUID",
    "Modality",
)


def example_of(entry, sop, scored):
    example = {
        "sop": sop,
        "tag_ds": entry.get("tag_ds"),
        "action_text": entry.get("action_text"),
        "value": entry.get("value"),
        "file_value": None if scored is None else scored["values"].get(entry.get("tag_ds")),
    }
    if scored is not None and example["file_value"] is None:
        # The path is not in the file: the file's paths that end in the same element, if any.
        leaf = (entry.get("tag_ds") or "").rsplit("<", 1)[-1]
        example["file_paths_ending_alike"] = [p for p in scored["values"] if p.endswith("<" + leaf)][:3]
    return example


def main():
    request = json.load(sys.stdin)
    unreadable = []
    files, uids, patient_ids = read_files(request["files"], unreadable)
    uid_map = identity_or(request.get("uid_map"), uids)
    patid_map = identity_or(request.get("patid_map"), patient_ids)

    db = sqlite3.connect("file:%s?mode=ro" % request["answer_key"], uri=True)
    columns = ", ".join(KEY_COLUMNS)
    rows = db.execute('SELECT "index", %s, AnswerData FROM answer_data ORDER BY "index"' % columns).fetchall()
    tokens_check = tokens_cross_check(db)
    db.close()

    actions = {a: {"passed": 0, "failed": 0, "blank": 0} for a in ACTIONS}
    rules = {a: {} for a in ("text_removed", "text_retained")}
    examples = {a: {"passed": [], "failed": [], "blank": []} for a in ACTIONS}
    problems = []
    missing = 0
    for row in rows:
        index, sop, answer_data = row[0], row[1], row[-1]
        for column, value in zip(KEY_COLUMNS, row[1:-1]):
            if value is None or value.startswith("<"):
                problems.append("row %s: %s %r is not a raw string" % (index, column, value))
        # The script finds a row's output file through the UID mapping.
        scored = files.get(uid_map.get(sop))
        if scored is None:
            missing += 1
        data = json.loads(answer_data)
        if sorted(data, key=int) != [str(i) for i in range(len(data))]:
            problems.append("row %s: AnswerData keys are not 0..n-1" % index)
        for key in sorted(data, key=int):
            entry = data[key]
            check_format(entry, "row %s check %s" % (index, key), problems)
            action = unwrap(entry.get("action"))
            if action not in actions:
                continue
            passed, rule = score_check(entry, scored, uid_map, patid_map)
            outcome = "blank" if passed is None else "passed" if passed else "failed"
            actions[action][outcome] += 1
            if action in rules:
                rule = rule if passed is not None else "blank"
                rules[action][rule] = rules[action].get(rule, 0) + 1
            if len(examples[action][outcome]) < 5:
                examples[action][outcome].append(example_of(entry, sop, scored))

    json.dump(
        {
            "pydicom": pydicom.__version__,
            "files": len(files),
            "unreadable": unreadable,
            "instances": len(rows),
            "missing": missing,
            "format_problems": problems[:50],
            "format_problem_count": len(problems),
            "actions": actions,
            "rules": rules,
            "examples": examples,
            "tokens_check": tokens_check,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
