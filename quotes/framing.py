"""Classify what a speaker said as conciliatory, adversarial or neutral toward the other side.

A scikit-learn Pipeline over records `{"text", "marked", "head", "cue", "context"}`: `marked` is the
statement's lemmas with the words in a negation's scope prefixed `NOT_` (so "not responsible
competition" and "responsible competition" differ), computed with the spaCy pipeline the extractor
already ran. Features: word and character n-grams, marked lemmas, a posture lexicon that flips under
negation, the reporting verb's class, the acts a third-person report names (`head`: "The ministry
accused…"), and for a fragment the sentence around it. A logistic regression
with sigmoid calibration gives the probabilities; the model is saved with skops (never pickle) beside a
JSON file of its versions, data hash and cross-validated scores, and loads only when the file's hash
and its types are the ones expected.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np
import sklearn
import skops
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils import murmurhash3_32

from quotes.lexicon import (
    ADVERSARIAL_LEMMAS,
    ADVERSARIAL_PHRASES,
    CONCILIATORY_LEMMAS,
    CONCILIATORY_PHRASES,
    CONFLICT_CUES,
    COOPERATION_CUES,
    HEDGE_LEMMAS,
    evaluation_lexicon,
    verb_forms,
)
from quotes.records import FRAMING_LABELS, Framing, QuotesError
from quotes.statements import records_from_texts

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "framing"
TRAINING_DATA = MODEL_DIR / "train.jsonl"  # the statements the project wrote and labelled
MODEL_FILE = "model.skops"
META_FILE = "model.json"
RANDOM_STATE = 0
# The only types a model file may hold besides those skops always trusts (numpy arrays, builtins):
# the scikit-learn estimators the model is made of, three calibration internals, and our feature
# transformers. (skops would trust every scikit-learn estimator by default; see `_skops_io`.)
TRUSTED_TYPES = (
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.feature_extraction.text.HashingVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
    "quotes.framing.Field",
    "quotes.framing.PostureFeatures",
    "quotes.framing.CueClass",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.model_selection._split.StratifiedKFold",
)


# -- feature transformers (each is small, stateless where it can be, and in TRUSTED_TYPES) -------------


class Field(BaseEstimator, TransformerMixin):
    """One field of every record, as a list of strings."""

    def __init__(self, name: str = "text", default: str = ""):
        self.name = name
        self.default = default

    def fit(self, records, y=None):
        return self

    def transform(self, records):
        return [r.get(self.name) or self.default for r in records]

    def get_feature_names_out(self, input_features=None):
        return np.asarray([self.name], dtype=object)


class PostureFeatures(BaseEstimator, TransformerMixin):
    """Counts of conciliatory and adversarial words and phrases, flipped under negation, plus hedges
    and the marks of a question or an exclamation."""

    names = (
        "conciliatory",
        "adversarial",
        "negated_conciliatory",
        "negated_adversarial",
        "praise",
        "blame",
        "negated_praise",
        "negated_blame",
        "hedge",
        "question",
        "exclaim",
    )

    def fit(self, records, y=None):
        return self

    def transform(self, records):
        positive, negative = evaluation_lexicon()
        rows = []
        for r in records:
            words = r.get("marked", "").split()
            plain = [w for w in words if not w.startswith("NOT_")]
            negated = [w[4:] for w in words if w.startswith("NOT_")]
            text = (r.get("text") or "").lower()
            rows.append(
                [
                    sum(w in CONCILIATORY_LEMMAS for w in plain)
                    + sum(p in text for p in CONCILIATORY_PHRASES),
                    sum(w in ADVERSARIAL_LEMMAS for w in plain) + sum(p in text for p in ADVERSARIAL_PHRASES),
                    sum(w in CONCILIATORY_LEMMAS for w in negated),
                    sum(w in ADVERSARIAL_LEMMAS for w in negated),
                    sum(w in positive for w in plain),
                    sum(w in negative for w in plain),
                    sum(w in positive for w in negated),
                    sum(w in negative for w in negated),
                    sum(w in HEDGE_LEMMAS for w in words),
                    "?" in text,
                    "!" in text,
                ]
            )
        return np.log1p(np.asarray(rows, dtype=float))

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"posture:{n}" for n in self.names], dtype=object)


_CUE_LEMMAS = verb_forms(CONFLICT_CUES | COOPERATION_CUES)


class CueClass(BaseEstimator, TransformerMixin):
    """The reporting verb's class: a verb of conflict (warned), of cooperation (praised), or neither."""

    classes = ("conflict", "cooperation", "other", "none")

    def fit(self, records, y=None):
        return self

    def transform(self, records):
        rows = []
        for r in records:
            cue = (r.get("cue") or "").lower().split()
            lemma = _CUE_LEMMAS.get(cue[0], "") if cue else ""
            kind = (
                "none"
                if not cue
                else "conflict"
                if lemma in CONFLICT_CUES
                else ("cooperation" if lemma in COOPERATION_CUES else "other")
            )
            rows.append([kind == c for c in self.classes])
        return np.asarray(rows, dtype=float)

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"cue:{c}" for c in self.classes], dtype=object)


# Hashed n-gram blocks: (name, record field, analyzer, n-gram range, width). Hashing keeps the model
# file small and quick to load (no vocabulary to store); `explain` recovers names by hashing the input.
_TEXT_BLOCKS = (
    ("words", "text", "word", (1, 2), 2**16),
    ("chars", "text", "char_wb", (2, 5), 2**17),
    ("lemmas", "marked", "lemma", (1, 2), 2**16),
    ("context", "context", "word", (1, 1), 2**14),
    ("head", "head", "lemma", (1, 1), 2**12),
)
_WEIGHTS = {
    "words": 1.0,
    "chars": 1.0,
    "lemmas": 1.0,
    "posture": 1.0,
    "cue": 0.5,
    "context": 0.3,
    "head": 1.0,
}


def _hashed(field: str, analyzer: str, ngrams: tuple[int, int], width: int) -> Pipeline:
    options = {"token_pattern": r"\S+", "lowercase": False} if analyzer == "lemma" else {}
    vectorizer = HashingVectorizer(
        analyzer="word" if analyzer == "lemma" else analyzer,
        ngram_range=ngrams,
        n_features=width,
        alternate_sign=False,
        norm=None,
        **options,
    )
    default = "nocontext" if field == "context" else ""
    return Pipeline(
        [("f", Field(field, default)), ("v", vectorizer), ("w", TfidfTransformer(sublinear_tf=True))]
    )


def build_pipeline() -> Pipeline:
    """The untrained model."""
    blocks = [
        (name, _hashed(field, analyzer, ngrams, width))
        for name, field, analyzer, ngrams, width in _TEXT_BLOCKS
    ]
    features = FeatureUnion(
        [
            *blocks[:3],
            ("posture", PostureFeatures()),
            ("cue", CueClass()),
            *blocks[3:],
        ],
        transformer_weights=_WEIGHTS,
    )
    classifier = CalibratedClassifierCV(
        LogisticRegression(C=4.0, class_weight="balanced", max_iter=5000, random_state=RANDOM_STATE),
        method="sigmoid",
        cv=StratifiedKFold(5, shuffle=True, random_state=RANDOM_STATE),
        ensemble=False,
    )
    return Pipeline([("features", features), ("classifier", classifier)])


# -- training, saving, loading -------------------------------------------------------------------------


def read_training_data(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    bad = [n for n, r in enumerate(rows, 1) if r.get("label") not in FRAMING_LABELS or not r.get("text")]
    if bad:
        raise QuotesError(f"{path}: lines {bad[:5]} lack a text or a known label")
    return rows


def train(nlp: Language, data_path: Path, out_dir: Path = MODEL_DIR, folds: int = 5) -> dict:
    """Fit the model on the project's own data, cross-validate it, and save it with its metadata."""
    rows = read_training_data(data_path)
    records = records_from_texts(nlp, rows)
    labels = [r["label"] for r in rows]
    cv = StratifiedKFold(folds, shuffle=True, random_state=RANDOM_STATE)
    predicted = cross_val_predict(build_pipeline(), records, labels, cv=cv)
    model = build_pipeline().fit(records, labels)
    meta = {
        "labels": list(FRAMING_LABELS),
        "training_data": {"path": data_path.name, "sha256": _sha256(data_path), "rows": len(rows)},
        "cross_validation": {
            "folds": folds,
            "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4),
            "f1": {
                label: round(float(score), 4)
                for label, score in zip(
                    FRAMING_LABELS,
                    f1_score(labels, predicted, labels=list(FRAMING_LABELS), average=None),
                    strict=True,
                )
            },
        },
        "versions": {
            "scikit-learn": sklearn.__version__,
            "skops": skops.__version__,
            "numpy": np.__version__,
        },
        "trusted_types": list(TRUSTED_TYPES),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / MODEL_FILE
    model_path.write_bytes(_canonical_archive(_skops_io().dumps(model)))
    meta["model_sha256"] = _sha256(model_path)
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def load_model(model_dir: Path = MODEL_DIR) -> Pipeline:
    """The saved model, after checking its file against the hash in its metadata and every type in it
    against the trusted list: a tampered or foreign file is refused, never executed."""
    model_path, meta_path = model_dir / MODEL_FILE, model_dir / META_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise QuotesError(f"cannot read framing model metadata {meta_path}: {error}") from None
    if not model_path.is_file():
        raise QuotesError(f"no framing model at {model_path}; build it with `quotes train`")
    if _sha256(model_path) != meta.get("model_sha256"):
        raise QuotesError(f"refusing {model_path}: it is not the file its metadata describes (hash differs)")
    sio = _skops_io()
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        return sio.load(model_path, trusted=list(TRUSTED_TYPES))  # refuses any type not trusted
    except UntrustedTypesFoundException:
        unexpected = sorted(set(sio.get_untrusted_types(file=model_path)) - set(TRUSTED_TYPES))
        raise QuotesError(
            f"refusing {model_path}: it holds types that are not trusted: {', '.join(unexpected)}"
        ) from None
    except Exception as error:  # skops raises assorted errors on a file that is not a skops archive
        raise QuotesError(f"refusing {model_path}: not a skops model file ({error})") from None


@lru_cache(maxsize=1)
def _skops_io() -> ModuleType:
    """`skops.io`, imported without its default trust in every scikit-learn estimator.

    To list them, skops imports all of scikit-learn when it is first imported: most of a second of
    every start-up that loads the model. The model is made of six estimators, which TRUSTED_TYPES
    names, so a file holding any other is refused as well."""
    import sklearn.utils

    discover = sklearn.utils.all_estimators
    sklearn.utils.all_estimators = lambda *args, **kwargs: []
    try:
        import skops.io
    finally:
        sklearn.utils.all_estimators = discover
    return skops.io


@lru_cache(maxsize=2)
def load_framing_model(model_dir: Path = MODEL_DIR) -> Pipeline:
    """The project's framing model, loaded (and checked) once per process."""
    return load_model(model_dir)


def classify(model: Pipeline, records: Sequence[dict]) -> list[Framing]:
    """A label and per-label probabilities for each record; neutral for certain when it has no words,
    since nothing can take a side (the model would otherwise answer from its bias alone)."""
    if not records:
        return []
    classes = [str(c) for c in model.classes_]
    probabilities = model.predict_proba(list(records))
    wordless = {label: float(label == "neutral") for label in FRAMING_LABELS}
    return [
        Framing(
            classes[int(np.argmax(row))],
            {label: round(float(row[classes.index(label)]), 4) for label in FRAMING_LABELS},
        )
        if any(character.isalnum() for character in record_["text"])
        else Framing("neutral", dict(wordless))
        for record_, row in zip(records, probabilities, strict=True)
    ]


def explain(model: Pipeline, record_: dict, top: int = 8) -> list[tuple[str, float]]:
    """The features that pushed this record toward its predicted label, strongest first."""
    features = model.named_steps["features"]
    estimator = model.named_steps["classifier"].calibrated_classifiers_[0].estimator
    vector = features.transform([record_]).tocsr()
    row = list(estimator.classes_).index(classify(model, [record_])[0].label)
    names = _active_feature_names(features, record_)
    contributions = {i: v * estimator.coef_[row][i] for i, v in zip(vector.indices, vector.data, strict=True)}
    ranked = sorted((c, i) for i, c in contributions.items() if c > 0)[::-1][:top]
    return [(names.get(i, f"feature {i}"), round(float(c), 3)) for c, i in ranked]


def _active_feature_names(features: FeatureUnion, record_: dict) -> dict[int, str]:
    """Names for the columns a record fills: its n-grams hashed as the vectorizers hash them."""
    names, offset = {}, 0
    for name, transformer in features.transformer_list:
        if isinstance(transformer, Pipeline):
            field, vectorizer = transformer.named_steps["f"], transformer.named_steps["v"]
            analyze = vectorizer.build_analyzer()
            for gram in analyze(field.transform([record_])[0]):
                column = murmurhash3_32(gram, seed=0, positive=False)
                names[offset + abs(column) % vectorizer.n_features] = f"{name}: {gram}"
            offset += vectorizer.n_features
        else:
            for n, feature in enumerate(transformer.get_feature_names_out()):
                names[offset + n] = str(feature)
            offset += len(transformer.get_feature_names_out())
    return names


_OBJECT_ID = re.compile(r'("__id__": |"file": ")(\d+)(\.npy"|)')
_STOP_WORDS_ID = re.compile(r'("_stop_words_id": \{[^{}]*?"content": ")\d+(")')


def _canonical_archive(data: bytes) -> bytes:
    """The skops archive with object ids renumbered in order and fixed timestamps, so that the same
    training data always gives the same bytes (skops names entries by Python object ids)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    numbers: dict[str, str] = {}

    def renumber(match: re.Match) -> str:
        number = numbers.setdefault(match.group(2), str(len(numbers)))
        return match.group(1) + number + match.group(3)

    schema = _OBJECT_ID.sub(renumber, source.read("schema.json").decode("utf-8"))
    schema = _STOP_WORDS_ID.sub(r"\g<1>0\g<2>", schema)  # TfidfVectorizer caches id(stop_words)
    entries = {"schema.json": schema.encode("utf-8")}
    for name in source.namelist():
        if name.endswith(".npy"):
            entries[numbers.get(name[:-4], name[:-4]) + ".npy"] = source.read(name)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), entries[name], zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
