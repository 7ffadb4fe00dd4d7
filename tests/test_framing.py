"""The framing model: what it says of statements written for these tests, and how it is kept safe."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from click.testing import CliRunner
from conftest import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from quotes import framing
from quotes.cli import main
from quotes.lexicon import evaluation_lexicon
from quotes.pipeline import load_pipeline
from quotes.records import QuotesError
from quotes.statements import head_verbs, marked_lemmas, records_from_texts

ROOT = Path(__file__).resolve().parents[1]
STATEMENTS = [
    json.loads(line) for line in (ROOT / "models/framing/test_statements.jsonl").read_text().splitlines()
]
# Hard cases from the seed articles and the guide, written for this table.
HARD_CASES = [
    ("not responsible competition, but irresponsible bullying", "adversarial"),
    ("hysteria", "adversarial"),
    ("candid, substantive, and constructive", "conciliatory"),
    ("stable, predictable, and constructive", "conciliatory"),
    ("We are not seeking confrontation with anyone.", "conciliatory"),
    ("There will be no concessions on this point.", "adversarial"),
    ("The delegation will arrive on Monday and leave on Wednesday.", "neutral"),
    ("We do not expect a long list of deliverables from this visit.", "neutral"),
    # the guide's rows on shared problems, conflict words in law, and requests
    ("We call on all States to cooperate in cutting off the financing of terrorist groups.", "conciliatory"),
    (
        "Police from the three countries will share intelligence to break up the trafficking gangs.",
        "conciliatory",
    ),
    ("The offence carries a prison term of up to five years and a fine.", "neutral"),
    ("The court asked both parties to file their closing submissions by Friday.", "neutral"),
    ("The minister urged the neighbouring government to stop sheltering the smugglers.", "adversarial"),
    # the guide's rows on consultation and on concern
    ("The two foreign ministers will meet in Oslo next week to discuss fishing quotas.", "conciliatory"),
    ("The board meets on Thursday to review the quarterly accounts.", "neutral"),
    ("The ministry summoned the ambassador to protest against the arrests.", "adversarial"),
    ("The Council is gravely concerned by the worsening humanitarian situation in the north.", "adversarial"),
    ("Residents raised some concerns about parking at the meeting.", "neutral"),
    # the guide's rows on stressing a need (by what it asks) and on material steps (by direction)
    (
        "The foreign minister stressed the importance of closer coordination with Nairobi on refugees.",
        "conciliatory",
    ),
    ("The auditor stressed the need for accurate quarterly figures from every department.", "neutral"),
    ("It is essential that the mining company be held to account for poisoning the river.", "adversarial"),
    (
        "Sweden will give Liberia a grant of 20 million dollars to rebuild rural schools, the ministry said.",
        "conciliatory",
    ),
    ("The development bank froze new lending to the government in protest at the crackdown.", "adversarial"),
    ("Aid deliveries to the province fell by a fifth in October.", "neutral"),
    # the guide's row on obligations: on one party a demand, on every side an appeal, on anyone a rule
    ("France said Iraq must cooperate fully with UN inspectors.", "adversarial"),
    ("Rebels said the president must agree to constitutional changes before they disarm.", "adversarial"),
    ("The Red Cross said the army must allow food and medicine to reach civilians.", "adversarial"),
    ("Iraq must comply with the resolution.", "adversarial"),
    ("The federation has to give the athletes their prize money now.", "adversarial"),
    ("Ottawa should hand back the documents it took from our offices.", "adversarial"),
    ("The mayor needs to apologise to every family on that street.", "adversarial"),
    ("Both governments must now work together to rebuild trust.", "conciliatory"),
    ("All sides should give the mediator a chance.", "conciliatory"),
    ("We must reach out to the families who feel ignored.", "conciliatory"),
    ("Passengers must show a valid ticket at the gate.", "neutral"),
    ("The draft law still has to go before the senate committee.", "neutral"),
    ("Bidders should submit their documents by the end of the month.", "neutral"),
    # the guide's row on forecasts: a prediction is neutral, the speaker's own hope of agreeing with
    # the other side conciliatory, distrust of it adversarial
    ("Diplomats in Geneva were gloomy about the prospects for a new round of disarmament talks.", "neutral"),
    ("The mediator predicted that the two parties would reach a settlement within a month.", "neutral"),
    ("Few economists think the tariff war will end before the election.", "neutral"),
    ("Our forecast is that the partnership will be signed in the third quarter.", "neutral"),
    ("I truly believe that together with the opposition we can get this reform done.", "conciliatory"),
    (
        "We are hopeful that Lisbon and Madrid will join us at the table, and we will meet them halfway.",
        "conciliatory",
    ),
    (
        "I have no faith that the club's owners will ever negotiate honestly with the supporters.",
        "adversarial",
    ),
    ("We fully expect the ministry to drag its feet again, as it always does.", "adversarial"),
    # steps, by what they are taken with (the guide's row on reported acts)
    ("Ankara said it would lift the travel ban on Greek journalists next month.", "conciliatory"),
    ("The ministry extended the export ban on the neighbouring republic for another year.", "adversarial"),
    ("The rebels freed eleven aid workers they had held since March.", "conciliatory"),
    (
        "Canberra recalled its high commissioner from Wellington after the row over fishing rights.",
        "adversarial",
    ),
    ("The two federations restored direct flights between their capitals.", "conciliatory"),
    ("The club suspended all ticket sales to visiting supporters from the rival city.", "adversarial"),
    (
        "We are pulling our border guards back from the disputed ridge as a gesture of goodwill.",
        "conciliatory",
    ),
    ("Beijing tightened inspections on Australian wine imports.", "adversarial"),
    ("The council extended the opening hours of the municipal library.", "neutral"),
    ("The band released its third album on Friday.", "neutral"),
    (
        "The employer has withdrawn the threat of dismissals and reopened talks with the union.",
        "conciliatory",
    ),
    ("The league imposed a two-year transfer embargo on the club.", "adversarial"),
    ("Moscow and Tokyo agreed to resume visa-free exchanges for former island residents.", "conciliatory"),
    ("Oslo froze its development aid to the government after the disputed election.", "adversarial"),
    ("Kiev said it would not extend the martial law in the eastern districts beyond Sunday.", "conciliatory"),
    ("We will not lift a single tariff until they open their market to our farmers.", "adversarial"),
    ("Analysts expect the bloc to ease some sanctions if the talks go well.", "neutral"),
    ("The army dismantled three checkpoints on the road to the refugee camp.", "conciliatory"),
    ("The government expelled two diplomats from the neighbouring state.", "adversarial"),
    ("Both sides released prisoners of war in an exchange brokered by Qatar.", "conciliatory"),
    # a condition or a denied duty is no demand; a duty worded as help still is one
    ("Should the tenants drop the lawsuit, the landlord will freeze the rent for two years.", "conciliatory"),
    ("You don't have to share our politics to work with us on the flood defences.", "conciliatory"),
    ("The authorities must let independent observers into the prisons.", "adversarial"),
    ("The militia has to open the corridor so the wounded can be evacuated.", "adversarial"),
    # steps taken with fire, funds and operations; forecasts framed as what is set to come
    ("The insurgents halted the shelling of the capital to let the convoys in.", "conciliatory"),
    ("The treasury released the frozen funds of the opposition's charities.", "conciliatory"),
    ("The junta launched air strikes on three rebel-held towns overnight.", "adversarial"),
    ("Both armies ceased fire at dawn, as the mediators had asked.", "conciliatory"),
    ("The negotiators are set to initial the accord on Thursday.", "neutral"),
    ("The two unions are poised to sign a no-strike pledge with the employers.", "neutral"),
]


@pytest.fixture(scope="module")
def model() -> Pipeline:
    return framing.load_framing_model()


@pytest.fixture(scope="module")
def predictions(model) -> list[str]:
    items = [{"text": s["text"], "cue": s.get("cue"), "context": s.get("context")} for s in STATEMENTS]
    items += [{"text": text} for text, _ in HARD_CASES]
    return [f.label for f in framing.classify(model, records_from_texts(load_pipeline(), items))]


def test_at_least_nine_in_ten_test_statements_are_labelled_right(predictions):
    expected = [s["label"] for s in STATEMENTS] + [label for _, label in HARD_CASES]
    right = sum(p == e for p, e in zip(predictions, expected, strict=True))
    assert right >= 0.9 * len(expected), f"{right}/{len(expected)}"


def test_no_test_statement_is_in_the_training_data():
    train = {
        json.loads(line)["text"].strip().lower() for line in (ROOT / "models/framing/train.jsonl").open()
    }
    assert not [s["text"] for s in STATEMENTS if s["text"].strip().lower() in train]


def test_scores_are_probabilities_over_the_three_labels(model):
    [result] = framing.classify(
        model, records_from_texts(load_pipeline(), [{"text": "We welcome the talks."}])
    )
    assert set(result.scores) == {"conciliatory", "adversarial", "neutral"}
    assert sum(result.scores.values()) == pytest.approx(1.0, abs=0.01)
    assert result.label == max(result.scores, key=result.scores.get)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        (
            "not responsible competition, but irresponsible bullying",
            "NEG NOT_responsible NOT_competition but irresponsible bullying",
        ),
        ("We will never accept this", "we will NEG NOT_accept NOT_this"),
        ("No talks. We wait.", "NEG NOT_talk we wait"),
        # a curly apostrophe, as news prints it, negates like a straight one
        ("We don’t respect them", "we do NEG NOT_respect NOT_they"),
        ("We’re not friends", "we be NEG NOT_friend"),
        # the scope is the phrase the negation belongs to, not the rest of the sentence
        (
            "We have no faith in the board and urge its resignation",
            "we have NEG NOT_faith NOT_in NOT_the NOT_board and urge its resignation",
        ),
        ("He is not a friend and she is a rival", "he be NEG NOT_a NOT_friend and she be a rival"),
        ("They rejected the plan and praised the envoy", "they reject NOT_the NOT_plan and praise the envoy"),
        ("We did not rule out talks", "we do NEG NOT_rule out talk"),
        # a denied subject denies its verb, and a denied rejection leaves its object standing
        ("No country objected", "NEG NOT_country NOT_object"),
        ("No country has rejected the plan", "NEG NOT_country NOT_have NOT_reject the plan"),
        # a hyphenated word is one word to the lexicon, and a negation reaches across it
        ("He is not well-prepared for it", "he be NEG NOT_well-prepared NOT_for NOT_it"),
        ("an ill-prepared plan - a mess", "an ill-prepared plan a mess"),
        # inflected as the lexicon lists it, when the lexicon lists it so
        ("They cherry-picked the fat-cats", "they cherry-pick the fat-cat"),
        ("two fact-checks", "two fact-checks"),
        # what an obligation asks of one party is asked, not done
        ("Iraq must cooperate fully", "iraq must ASK_cooperate ASK_fully"),
        ("Both sides must cooperate", "both side must cooperate"),
        # what someone other than the speaker forecasts is a forecast, not a move
        ("Analysts expect a deal", "analyst expect EXP_a EXP_deal"),
        ("He was gloomy about the talks", "he be gloomy EXP_about EXP_the EXP_talk"),
        ("We are hopeful about the talks", "we be hopeful about the talk"),
        ("The sides are set to sign a deal", "the side be EXP_set EXP_to EXP_sign EXP_a EXP_deal"),
        ("The firm is poised to win", "the firm be EXP_poise EXP_to EXP_win"),  # a frame, not praise
        # the first part of a hyphenated word negates nothing around it
        ("They signed a no-strike pledge", "they sign a no-strike pledge"),
        ("She survived a no-confidence vote", "she survive a no-confidence vote"),
        ("We are set to sign a deal", "we be set to sign a deal"),
        ("The minister set a deadline", "the minister set a deadline"),
        # a condition is not what an obligation asks
        (
            "If Iran agrees, the council must lift the sanctions",
            "if iran agree the council must ASK_lift ASK_the ASK_sanction",
        ),
        # a participle the lemmatiser garbles keeps the lexicon's word
        ("a bigoted, boneheaded remark", "a bigoted boneheaded remark"),
        # a dropped g reads as the word spoken
        ("Be careful, Lyin' Ted.", "be careful lie ted"),
        ("He keeps lyin’ and cheatin’ on us", "he keep lie and cheat on we"),
        ("They were not lyin'", "they be NEG NOT_lie"),
        # an apostrophe that closes a single-quoted word or a place name is no dropped g
        ("the 'heroin' trade", "the heroin trade"),
        ("the ‘heroin’ trade", "the heroin trade"),
        ("We flew to Berlin' he said", "we fly to berlin he say"),
    ],
)
def test_marked_lemmas_show_negation_scope_and_words_as_spoken(text, marked):
    assert marked_lemmas(load_pipeline()(text)) == marked


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # everyday, political, sport, business and legal words of blame and praise, as spoken
        ("a gruesome display of lawlessness", {"blame": 2}),
        ("They squandered the lead and botched the rescue", {"blame": 2}),
        ("a spineless, hyperpartisan grifter", {"blame": 3}),
        ("a selfless and steadfast public servant", {"praise": 2}),
        ("a match-winning, nerveless performance", {"praise": 2}),
        ("He was not judgmental", {"negated_blame": 1}),
        ("The talks were cordial", {"praise": 1}),
        ("The meeting is on Tuesday", {}),
        # the name of an offence is a topic of news, not the speaker's blame
        ("The trial on embezzlement, bribery and extortion charges opens on Monday", {}),
    ],
)
def test_posture_counts_words_of_praise_and_blame(text, counts):
    found = _posture(text)
    for name in ("praise", "blame", "negated_praise", "negated_blame"):
        assert found[name] == pytest.approx(np.log1p(counts.get(name, 0))), name


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # the events a fact reports (a war, an attack, a disaster) are no move against anyone
        ("The report covers civilians in armed conflict and the war's victims", {}),
        ("Two attacks and a terrorist plot were recorded after the invasion", {}),
        # a move against the other side is, and a rejection turns what it rejects
        ("They threatened the mediators", {"adversarial": 1}),
        ("They did not threaten us", {"negated_adversarial": 1}),
        ("We reject their reckless war", {"adversarial": 1, "negated_adversarial": 1}),
        ("We welcome the talks", {"conciliatory": 2}),
    ],
)
def test_posture_counts_moves_not_the_events_a_fact_reports(text, counts):
    found = _posture(text)
    for name in ("conciliatory", "adversarial", "negated_conciliatory", "negated_adversarial"):
        assert found[name] == pytest.approx(np.log1p(counts.get(name, 0))), name


def _posture(text: str) -> dict[str, float]:
    (record_,) = records_from_texts(load_pipeline(), [{"text": text}])
    (row,) = framing.PostureFeatures().transform([record_])
    return dict(zip(framing.PostureFeatures.names, row, strict=True))


def test_evaluation_lexicon_is_one_word_lemmas_on_one_side_each():
    positive, negative = evaluation_lexicon()
    assert not positive & negative
    assert all(w == w.lower() and " " not in w and w.strip("-") == w for w in positive | negative)
    assert len(positive) > 2000 and len(negative) > 3000


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        (
            "The ministry accused its neighbour of breaking the truce.",
            "verb_accuse act_conflict noun_conflict",
        ),
        (
            "Both sides agreed to resume talks.",
            "verb_agree act_cooperation noun_cooperation step_toward act_cooperation nominal_cooperation",
        ),
        ("Kenya announced new visa rules.", "verb_announce act_statement named_statement"),
        ("Madrid did not reject the offer.", "verb_reject act_NOT_conflict named_NOT_conflict"),
        ("No country rejected the offer.", "verb_reject act_NOT_conflict noun_NOT_conflict"),
        ("Neither side accepted the truce.", "verb_accept act_NOT_cooperation noun_NOT_cooperation"),
        (
            "The union said it would block the port.",
            "verb_say act_statement noun_statement verb_block act_conflict third_conflict",
        ),
        (
            "Tehran rejected the plan and demanded talks.",
            "verb_reject act_conflict named_conflict",  # a conjoined verb without its own subject
        ),
        # a resolution's clause names its act without a subject (the tagger reads `Condemns` as a noun)
        ("Condemns the attacks on the convoy.", "act_conflict clause_conflict"),
        ("Welcoming the signing of the accord,", "act_cooperation clause_cooperation"),
        ("Stop lying to the voters.", "noverb"),  # an imperative is no resolution
        ("Dismisses the appeal as groundless.", "act_conflict clause_conflict"),
        ("Banning the use of cluster munitions,", "act_conflict clause_conflict"),  # `ban` doubles its n
        # regression: an opening noun is no act because its letters hide a verb (`Sales`, `Protesters`)
        ("Sales rose in all regions.", "noverb"),
        ("Protesters demanded the dissolution of parliament.", "verb_demand act_conflict noun_conflict"),
        # an act named by a noun a party performs; concern is disapproval only when intensified
        ("Reaffirms its condemnation of the raids.", "act_conflict nominal_conflict"),
        ("We extend our gratitude to Norway.", "act_cooperation nominal_cooperation"),
        ("The envoy expressed grave concern at the shelling.", "act_conflict nominal_conflict"),
        ("The envoy expressed concern at the delay.", "act_statement nominal_statement"),
        ("The report covers condemnation in the press.", "noverb"),  # nobody performs it
        # what a speaker stresses the need of is what they ask for
        (
            "Stresses the importance of strengthening cooperation.",
            "step_toward act_cooperation nominal_cooperation",
        ),
        ("There is an urgent need for dialogue.", "act_cooperation nominal_cooperation"),
        ("The EU reiterated its call for restraint.", "act_cooperation nominal_cooperation"),
        ("He stressed the need for sanctions.", "act_conflict nominal_conflict"),
        ("The cost of sanctions rose.", "noverb"),  # a cost is asked of nobody
        # a stance said of a party, with the same rule for concern
        ("The Council is alarmed by the reports of killings.", "act_conflict stance_conflict"),
        ("We are grateful to Norway for its help.", "act_cooperation stance_cooperation"),
        ("We are particularly concerned about the delays.", "act_conflict stance_conflict"),
        ("We are concerned about the delays.", "act_statement stance_statement"),
        ("The disappointed fans left early.", "noverb"),  # said of nobody's stance
        ("He praised the deal.", "noverb"),  # a pronoun alone is no report's actor
        ("We warned them twice.", "noverb"),  # the speaker's own words
        # on whom an obligation is laid; an act asked of one party is not done by it
        ("Iraq must cooperate with the inspectors.", "obliged_party asked_cooperation"),
        ("The ministry has to let the convoys through.", "obliged_party"),
        ("Both sides must return to the table.", "obliged_every_side"),
        ("The government and the rebels should talk.", "obliged_every_side"),
        ("We must do better.", "obliged_own_side"),
        ("Passengers must show a ticket.", "obliged_anyone"),
        ("Applications must be submitted by Friday.", "noverb"),  # a passive rule
        ("The club does not have to pay the fine.", "noverb"),  # a duty denied
        ("Must the players wait?", "noverb"),  # a question
        # a condition, not a duty: its act is the one offered in return
        (
            "Should the union agree, we will call off the strike.",
            "verb_agree act_cooperation noun_cooperation step_toward",
        ),
        # a step moves toward or against the other side by what it is taken with
        ("The government lifted the curfew.", "step_toward verb_lift act_cooperation noun_cooperation"),
        ("The government extended the curfew.", "step_against verb_extend act_conflict noun_conflict"),
        ("Seoul suspended aid to the north.", "step_against verb_suspend act_conflict named_conflict"),
        (
            "Both countries restored diplomatic ties.",
            "step_toward verb_restore act_cooperation noun_cooperation",
        ),
        (
            "Italy announced a suspension of air links.",
            "verb_announce act_statement named_statement step_against",
        ),
        ("We will pull out our troops.", "step_toward"),
        ("We will not lift the sanctions.", "step_NOT_toward"),
        ("Turkey reopened its border with Armenia.", "step_toward"),
        ("The army imposed martial law.", "step_against verb_impose act_conflict noun_conflict"),
        ("The company closed its market stall.", "noverb"),  # what a word qualifies is not taken
        ("Both sides ceased fire.", "step_toward"),
        ("The army launched an offensive.", "step_against"),
        (
            "The ministry released the frozen funds.",
            "step_toward verb_release act_cooperation noun_cooperation",
        ),
        (
            "The bank froze the accounts of the charity.",
            "step_against verb_freeze act_conflict noun_conflict",
        ),
        # a charge the other side pays is pressure on it, and a military operation is force
        ("The landlord raised the rent again.", "step_against"),
        ("The council will cut bus fares.", "step_toward"),
        ("The airline hiked its fees.", "step_against"),
        ("We will halt our operations in the district.", "step_toward"),
        ("The army launched a new operation in the north.", "step_against"),
        # a step asked of a party is not taken by it
        (
            "The Council demanded the withdrawal of the troops.",
            "verb_demand act_conflict named_conflict step_asked_toward",
        ),
        ("Seoul urged Pyongyang to free the prisoners.", "step_asked_toward"),
        ("There will be no deal until they lift the embargo.", "step_asked_toward"),
        ("Iran must release the detainees.", "step_asked_toward obliged_party asked_cooperation"),
        # a step or an act named inside an obligation is asked, not done
        ("Iran must agree to the lifting of sanctions.", "obliged_party asked_cooperation step_asked_toward"),
        ("The council must ensure that inspectors can visit every site.", "obliged_party asked_cooperation"),
        # and a step someone else forecasts is not taken either
        ("The mediator was pessimistic about the chances of lifting the sanctions.", "step_expected_toward"),
        ("The league is set to impose a curfew.", "step_expected_against"),
        (
            "Police from three countries will share intelligence.",
            "verb_share act_cooperation noun_cooperation",
        ),
        ("The ministry extended the deadline.", "verb_extend act_cooperation noun_cooperation"),  # no side
    ],
)
def test_head_verbs_name_the_acts_a_report_describes(text, acts):
    assert head_verbs(load_pipeline()(text)) == acts


# The words the features turn on (negations, steps, obligations, forecasts), in any order.
_FEATURE_WORDS = (
    "no nobody not never Neither side country we They must should has to expect confident lifted "
    "suspend withdrew troops aid sanctions of the a suspension curfew pull out rejected plan "
    "Condemns deep concern ties Should urged demanded until unless set poised to released funds "
    "no-strike lifting , . ; “ ” 's"
).split()


@pytest.mark.fuzz
@fuzz_settings(40)
@given(st.lists(st.sampled_from(_FEATURE_WORDS) | st.text(max_size=4), max_size=30).map(" ".join))
def test_any_word_salad_gets_features_and_three_probabilities(model, text):
    (record_,) = records_from_texts(load_pipeline(), [{"text": text}])
    assert record_["head"] and isinstance(record_["marked"], str)
    (framed,) = framing.classify(model, [record_])
    assert framed.label in framed.scores and sum(framed.scores.values()) == pytest.approx(1, abs=1e-3)


@pytest.mark.parametrize(
    ("cue", "kind"),
    [
        ("warned", "conflict"),
        ("accuses", "conflict"),
        ("criticised", "conflict"),
        ("slammed", "conflict"),  # regression: a doubled consonant hid the verb
        ("snapping", "conflict"),
        ("praised", "cooperation"),
        ("applauds", "cooperation"),
        ("agreed", "cooperation"),
        ("said", "other"),
        ("warnings", "other"),  # a noun is no reporting verb
        ("", "none"),
    ],
)
def test_the_reporting_verb_is_classed_by_the_act_it_names(cue, kind):
    row = framing.CueClass().transform([{"cue": cue}])[0]
    assert dict(zip(framing.CueClass.classes, row, strict=True))[kind] == 1.0


def test_explanations_name_the_features_behind_a_decision(model):
    record = records_from_texts(load_pipeline(), [{"text": "This is reckless and irresponsible."}])[0]
    reasons = framing.explain(model, record)
    assert reasons and all(weight > 0 for _, weight in reasons)
    assert any("reckless" in name or "posture" in name for name, _ in reasons)


# -- safety: a model file is refused unless it is exactly the file its metadata describes -------------


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    for name in (framing.MODEL_FILE, framing.META_FILE):
        shutil.copy(framing.MODEL_DIR / name, tmp_path / name)
    return tmp_path


def test_the_shipped_model_loads(model_copy):
    assert framing.load_model(model_copy).classes_.tolist()


def test_a_tampered_model_file_is_refused(model_copy):
    data = bytearray((model_copy / framing.MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (model_copy / framing.MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(QuotesError, match="hash differs"):
        framing.load_model(model_copy)


def test_a_foreign_file_is_refused_even_with_a_matching_hash(model_copy):
    """A file whose metadata was rewritten to match it still may not hold untrusted types."""
    evil = Pipeline([("run", FunctionTransformer(shutil.rmtree))])
    sio.dump(evil, model_copy / framing.MODEL_FILE)
    meta = json.loads((model_copy / framing.META_FILE).read_text())
    meta["model_sha256"] = framing._sha256(model_copy / framing.MODEL_FILE)
    (model_copy / framing.META_FILE).write_text(json.dumps(meta))
    with pytest.raises(QuotesError, match="not trusted"):
        framing.load_model(model_copy)


def _rehash(model_copy: Path) -> None:
    meta = json.loads((model_copy / framing.META_FILE).read_text())
    meta["model_sha256"] = framing._sha256(model_copy / framing.MODEL_FILE)
    (model_copy / framing.META_FILE).write_text(json.dumps(meta))


LOAD_MODEL = (
    "import sys; from pathlib import Path; from quotes import framing; framing.load_model(Path(sys.argv[1]))"
)


def test_a_model_of_other_scikit_learn_estimators_is_refused(model_copy):
    """Only the estimators the model is made of are trusted, not all of scikit-learn's (checked in a
    fresh process: there quotes imports skops first, as the command does)."""
    from sklearn.ensemble import RandomForestClassifier

    sio.dump(Pipeline([("forest", RandomForestClassifier())]), model_copy / framing.MODEL_FILE)
    _rehash(model_copy)
    run = subprocess.run([sys.executable, "-c", LOAD_MODEL, model_copy], capture_output=True, text=True)
    assert run.returncode == 1
    assert "not trusted: sklearn.ensemble._forest.RandomForestClassifier" in run.stderr.splitlines()[-1]
    shutil.copy(framing.MODEL_DIR / framing.MODEL_FILE, model_copy / framing.MODEL_FILE)
    _rehash(model_copy)
    assert subprocess.run([sys.executable, "-c", LOAD_MODEL, model_copy]).returncode == 0


def test_a_pickle_is_refused(model_copy):
    import pickle

    (model_copy / framing.MODEL_FILE).write_bytes(pickle.dumps({"not": "a model"}))
    meta = json.loads((model_copy / framing.META_FILE).read_text())
    meta["model_sha256"] = framing._sha256(model_copy / framing.MODEL_FILE)
    (model_copy / framing.META_FILE).write_text(json.dumps(meta))
    with pytest.raises(QuotesError, match="not a skops model file"):
        framing.load_model(model_copy)


def test_training_is_deterministic(tmp_path: Path):
    rows = [
        {"text": text, "label": label}
        for label, texts in (
            (
                "conciliatory",
                ["We welcome the talks", "A step toward peace", "We thank our partners", "Good talks"],
            ),
            ("adversarial", ["This is reckless", "We condemn the attack", "They are lying", "A disgrace"]),
            (
                "neutral",
                ["The meeting is on Tuesday", "Talks lasted five hours", "He arrived today", "Results soon"],
            ),
        )
        for text in texts * 5
    ]
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    first = framing.train(load_pipeline(), data, tmp_path / "a", folds=2)
    second = framing.train(load_pipeline(), data, tmp_path / "b", folds=2)
    assert first == second
    assert (tmp_path / "a" / framing.MODEL_FILE).read_bytes() == (
        tmp_path / "b" / framing.MODEL_FILE
    ).read_bytes()


def test_frame_command_keeps_input_order_and_ids(tmp_path: Path):
    lines = [{"id": "x", "text": "We condemn this attack."}, {"text": "The meeting is on Tuesday."}]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    result = CliRunner().invoke(main, ["frame", "--input", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == ["x", 1]
    assert [sorted(r) for r in rows] == [["id", "label", "scores"]] * 2


def test_loading_the_model_needs_no_spacy():
    """The audit loads the model in a forked process while spaCy loads here: if the model pulled in
    spaCy, that process would pay for both start-ups and the overlap would be lost."""
    check = (
        "import sys; from quotes.statements import classify_here; classify_here([]); "
        "print('spacy' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert run.stdout.strip() == "False", run.stderr
