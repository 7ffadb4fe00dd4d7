"""Word lists the rules read, kept in one place (as textacy keeps its constants) so they can grow.

All entries are lower-case lemmas or words; each list is general English news usage, not any one article's.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

# Verbs that report what somebody said or wrote (lemmas). "speak" and "talk" are left out: they
# introduce a topic ("spoke about “concerns”"), not the speaker's words.
CUE_VERBS = frozenset(
    """
    say tell add warn insist write tweet blog post retweet note explain state argue claim ask reply respond
    answer continue declare announce acknowledge admit allege assert caution charge comment complain
    concede conclude confirm contend counter cry deny emphasize emphasise estimate exclaim joke lament
    maintain mention muse observe point predict proclaim promise quip recall remark repeat report
    reiterate retort reveal scoff shout stress suggest swear testify thunder urge vow wonder whisper
    yell boast brag concur opine recount read chant tout text email call characterize characterise
    describe dub label brand term hail slam blast criticize criticise accuse praise decry denounce
    condemn express pledge quote cite sneer snap fume gush rave grumble mutter murmur plead beg demand
    threaten assure reassure inform advise recommend propose acknowledge highlight underline underscore
    signal object protest question predict forecast reckon figure guess believe think feel hope fear
    worry agree disagree summarize summarise headline caption interject interrupt laugh sigh smile shrug
    nod reason speculate theorize theorise contend clarify elaborate affirm attest certify proclaim
    announce tease taunt mock ridicule lambaste rebuke dismiss deride chide scold berate castigate assail
    """.split()
)
_IRREGULAR_FORMS = {
    "said": "say",
    "says": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "spoke": "speak",
    "swore": "swear",
    "sworn": "swear",
    "read": "read",
    "began": "begin",
    "thought": "think",
    "felt": "feel",
    "shot": "shoot",
}


def _doubles_final_consonant(lemma: str) -> bool:
    """A one-syllable verb ending in a single vowel and consonant doubles it (`slam`, `slammed`)."""
    vowels = "aeiou"
    groups = sum(1 for i, c in enumerate(lemma) if c in vowels and (i == 0 or lemma[i - 1] not in vowels))
    return (
        groups == 1
        and len(lemma) >= 3
        and lemma[-1] not in vowels + "wxy"
        and lemma[-2] in vowels
        and lemma[-3] not in vowels
    )


def _inflections(lemma: str) -> tuple[str, ...]:
    """The lemma, its -s, -ed and -ing forms."""
    stem = lemma + lemma[-1] if _doubles_final_consonant(lemma) else lemma.removesuffix("e")
    third = (
        lemma + "es"
        if lemma.endswith(("s", "sh", "ch", "x", "z"))
        else (lemma[:-1] + "ies" if lemma.endswith("y") and lemma[-2] not in "aeiou" else lemma + "s")
    )
    past = lemma[:-1] + "ied" if lemma.endswith("y") and lemma[-2] not in "aeiou" else stem + "ed"
    return lemma, third, past, lemma[:-2] + "ying" if lemma.endswith("ie") else stem + "ing"


def verb_forms(lemmas: frozenset[str], *, bare: bool = True) -> dict[str, str]:
    """Each inflected form of the verbs, irregular ones included, mapped to its lemma; the lemma
    itself too unless `bare` is False."""
    return {
        **{form: lemma for lemma in sorted(lemmas) for form in _inflections(lemma)[0 if bare else 1 :]},
        **{form: lemma for form, lemma in _IRREGULAR_FORMS.items() if lemma in lemmas},
    }


# Inflected forms of the cue verbs, for words the tagger mislabels (`a man yelled “…”`).
CUE_FORMS: dict[str, str] = verb_forms(CUE_VERBS, bare=False)

# The plainest verbs of saying: an outer one of these speaks for the words quoted inside its clause.
SAYING_VERBS = frozenset(
    "say tell add write state explain note argue claim insist tweet announce declare".split()
)

# Of these, the ones that also take a non-speech object ("called for", "started") need the quotation
# itself (or a clause holding it) as their complement before they count.
WEAK_CUE_VERBS = frozenset(
    """
    call continue read believe think feel hope fear worry figure guess question express point summarize
    summarise headline caption smile laugh sigh shrug nod agree disagree
    """.split()
)
# Verbs that never report speech even in the slot right after a quotation (`“…,” he is`).
NON_CUE_VERBS = frozenset(
    ["be", "have", "do", "get", "go", "come", "make", "take", "give", "see", "seem", "become"]
)
# Nouns that carry somebody's words: "in a statement", "the readout said", "his tweet read".
CUE_NOUNS = frozenset(
    """
    statement tweet interview remark remarks speech letter post email release readout message note op-ed
    column comment comments testimony briefing address memo report video conference announcement
    communique communiqué editorial essay blog podcast broadcast transcript filing lawsuit complaint
    ruling opinion order decision document book memoir article petition ad advertisement commercial cable
    platform resolution indictment motion affidavit call claim promise pledge vow warning assertion
    accusation description dictum words argument insistence plea demand suggestion answer response reply
    retort slogan catchphrase mantra
    """.split()
)
# Phrases whose object is the source: "according to X", "in the words of X".
SOURCE_PREPOSITIONS = {("according", "to"), ("in", "words")}

PERSONAL_PRONOUNS = frozenset(["he", "she", "i", "we", "they", "you", "it", "him", "her", "them", "me", "us"])
RELATIVE_PRONOUNS = frozenset(["who", "whom", "whose", "which", "that"])
MALE_PRONOUNS = frozenset(["he", "him", "his", "himself"])
FEMALE_PRONOUNS = frozenset(["she", "her", "hers", "herself"])
PLURAL_PRONOUNS = frozenset(["they", "them", "we", "us"])
MALE_HONORIFICS = frozenset(["mr", "mr.", "sir", "lord", "king", "prince"])
FEMALE_HONORIFICS = frozenset(
    ["mrs", "mrs.", "ms", "ms.", "miss", "madam", "dame", "lady", "queen", "princess"]
)

# Roles and titles a text uses for a person ("the Secretary", "the spokesperson").
ROLE_NOUNS = frozenset(
    """
    president vice-president secretary minister spokesperson spokesman spokeswoman spokesmen ambassador
    envoy senator sen. representative rep. congressman congresswoman governor gov. mayor chairman
    chairwoman chair chairperson director chief executive ceo founder leader premier chancellor king
    queen prince princess diplomat counselor councilor councillor adviser advisor aide official officer
    commander general admiral judge justice attorney lawyer prosecutor sheriff commissioner candidate
    nominee speaker manager coach captain player professor analyst economist scholar researcher expert
    doctor dr. pastor reverend rev. bishop pope cardinal strategist consultant pollster fellow editor
    reporter correspondent anchor host author writer columnist activist organizer organiser founder
    owner president-elect chancellor-elect deputy head administrator inspector superintendent treasurer
    auditor clerk negotiator mediator representative delegate lawmaker legislator politician campaigner
    """.split()
)
# Common nouns for people, who can be the subject of a reporting verb.
SPEAKING_NOUNS = frozenset(
    """
    man woman men women person people friend child kid boy girl mother father mom dad wife husband
    son daughter brother sister family parent user commenter crowd audience public poll survey sign
    caption headline percent majority minority study data chorus voice source witness victim guest
    host caller fan resident neighbor neighbour veteran student teacher worker guy lady
    """.split()
)
# Heads that make an unnamed mention an anonymous source.
ANONYMOUS_NOUNS = frozenset(
    """
    official officials source sources aide aides person people insider insiders diplomat diplomats
    officer officers staffer staffers adviser advisers advisor advisors someone spokesperson spokesman
    spokeswoman member members lawmaker lawmakers
    """.split()
)
# Heads of plural mentions that name a group of people rather than a source.
GROUP_NOUNS = frozenset(
    """
    side protester protestor demonstrator critic supporter opponent voter resident expert analyst
    observer economist scientist researcher democrat republican conservative liberal activist leader
    country nation government party ally worker employee citizen american student parent doctor
    lawyer investor fan member delegate official both
    """.split()
)
# Heads that name an organisation when no entity label says so.
ORGANIZATION_NOUNS = frozenset(
    """
    department ministry agency office administration government committee commission council campaign
    party company firm corporation bank court parliament congress senate house union association
    organization organisation group network media outlet newspaper paper television channel station
    broadcaster embassy consulate military army navy police pentagon kremlin white whitehouse cabinet
    board bureau institute foundation university school team club league federation fund service
    authority regime junta coalition alliance movement readout statement
    """.split()
)
# Words that open a title or a name in quotation marks rather than speech: `the book “…”`.
TITLE_NOUNS = frozenset(
    """
    book novel memoir film movie documentary show series program programme episode song album single
    play musical opera poem article essay column op-ed headline slogan motto hashtag campaign operation
    exercise nickname pseudonym alias moniker name title brand label magazine newspaper blog podcast video
    game app law act bill report study initiative plan doctrine policy author star host producer anchor
    """.split()
)
# The only words title case leaves in lower case (`Gone with the Wind`): a quotation with any other
# word in lower case is not a title (`“It's not about me, it's about us.”`).
TITLE_CASE_LOWER = frozenset(
    "a an the and but or nor for so yet as at by in of off on per to up via from with into over".split()
)
TITLE_VERBS = frozenset(
    ["titled", "entitled", "named", "dubbed", "nicknamed", "called", "billed", "branded", "known"]
)
HONORIFICS = (
    MALE_HONORIFICS
    | FEMALE_HONORIFICS
    | frozenset(
        [
            "dr",
            "dr.",
            "sen",
            "sen.",
            "rep",
            "rep.",
            "gov",
            "gov.",
            "gen",
            "gen.",
            "prof",
            "prof.",
            "rev",
            "rev.",
            "hon",
            "hon.",
        ]
    )
)

# Short forms of given names, so `Matt Miller` and `Matthew Miller` are one person.
NICKNAMES: dict[str, frozenset[str]] = {
    short: frozenset(full.split("|"))
    for short, full in (
        line.split(":")
        for line in [
            "al:albert|alan|alfred",
            "abe:abraham",
            "alex:alexander|alexandra",
            "andy:andrew",
            "ben:benjamin",
            "bill:william",
            "billy:william",
            "bob:robert",
            "bobby:robert",
            "charlie:charles",
            "chris:christopher|christine",
            "chuck:charles",
            "dan:daniel",
            "danny:daniel",
            "dave:david",
            "dick:richard",
            "don:donald",
            "ed:edward|edwin",
            "greg:gregory",
            "hank:henry",
            "jack:john",
            "jake:jacob",
            "jim:james",
            "jimmy:james",
            "joe:joseph",
            "jon:jonathan",
            "josh:joshua",
            "kate:katherine|catherine",
            "kathy:katherine|kathleen",
            "ken:kenneth",
            "larry:lawrence",
            "liz:elizabeth",
            "matt:matthew",
            "mike:michael",
            "nick:nicholas",
            "pat:patrick|patricia",
            "pete:peter",
            "rick:richard",
            "rob:robert",
            "ron:ronald",
            "sam:samuel|samantha",
            "steve:steven|stephen",
            "sue:susan",
            "ted:edward|theodore",
            "tim:timothy",
            "tom:thomas",
            "tony:anthony|antony",
            "will:william",
            "bernie:bernard",
            "hillary:hillary",
            "jeff:jeffrey",
            "jerry:gerald|jerome",
            "nate:nathan",
            "nancy:ann|anne",
            "newt:newton",
            "mitch:mitchell",
            "chuck:charles",
        ]
    )
}

# -- framing ---------------------------------------------------------------------------------------
# Lemmas that carry a speaker's posture toward the other side (verbal cooperation vs verbal conflict,
# in the spirit of the CAMEO / PLOVER event codes). A negated one counts for the other side.
CONCILIATORY_LEMMAS = frozenset(
    """
    agree agreement accord consensus compromise cooperate cooperation cooperative collaborate
    collaboration partner partnership dialogue talk talks negotiate negotiation engage engagement
    constructive productive positive candid frank substantive fruitful cordial friendly warm
    respect respectful mutual mutually together jointly shared common understanding trust
    stabilize stabilise stability stable calm de-escalate deescalate ease easing reconcile
    reconciliation peace peaceful peacefully harmony unity unite bridge heal healing welcome
    welcomed appreciate appreciation thank thanks grateful gratitude praise commend congratulate
    applaud honor honour admire support supportive encourage encouraging hope hopeful optimistic
    progress breakthrough deal resolve resolution settle settlement solution reassure reassurance
    commit commitment pledge promise offer invite invitation visit reciprocal goodwill sincere
    sincerity open openness opportunity benefit win-win ally friend friendship apologize apologise
    apology regret forgive ceasefire truce restraint patience dignity fair fairly reasonable
    flexible flexibility help assist aid relief recovery reconstruction embrace concession concede yield
    accommodate accommodation
    """.split()
)
# Words of moves against the other side and of judgement. The words of the events a fact reports
# (war, conflict, attack, terrorist, crime, disaster, invasion…) are left out, as the guide's row on
# conflict words in facts has it: "the protection of civilians in armed conflict" takes no posture.
# A charge still counts by its words of judgement ("a reckless war") and, in a report, by its act
# verb (`CONFLICT_ACTS`: "the army attacked the convoy").
ADVERSARIAL_LEMMAS = frozenset(
    """
    accuse accusation blame condemn condemnation denounce criticize criticise criticism slam blast
    threaten threat warn warning demand ultimatum reject rejection refuse refusal oppose opposition
    resist defy defiance retaliate retaliation punish punishment sanction sanctions penalty boycott
    ban expel expulsion sever halt suspend freeze confront confrontation hostile hostility
    aggressive provocation provocative provoke reckless irresponsible dangerous unacceptable
    outrageous shameful disgrace disgraceful absurd ridiculous lie liar lies false misleading
    hypocrisy hypocritical betray betrayal cheat fraud corrupt corruption abuse bully bullying
    coerce coercion interfere interference meddle meddling violate violation illegal unlawful evil
    enemy adversary rival hysteria paranoia fail failure incompetent mistake misjudgment
    misjudgement arrogant arrogance insult insulting humiliate contempt disrespect smear propaganda
    destroy crush fight invade occupy aggressor pathetic weak stupid idiot clown nonsense garbage
    disgusting vile despicable horrible terrible wrong irresponsibly deny denial obstruct
    obstruction sabotage undermine hijack
    """.split()
)
# Multiword cues that single lemmas miss.
CONCILIATORY_PHRASES = (
    "work together",
    "common ground",
    "open channels",
    "lines of communication",
    "mutual respect",
    "step forward",
    "good faith",
    "find a way",
    "move forward",
    "on the same page",
    "reach out",
    "return to the table",
    "keep talking",
    "win-win",
    "meet halfway",
    "extend a hand",
    "shake hands",
)
ADVERSARIAL_PHRASES = (
    "red line",
    "no place",
    "will not tolerate",
    "will pay",
    "stand up to",
    "fake news",
    "witch hunt",
    "out of line",
    "shut down",
    "step down",
    "back down",
    "crack down",
    "lock her up",
    "go to hell",
    "all options",
    "consequences",
    "cross the line",
    "zero tolerance",
)
HEDGE_LEMMAS = frozenset("may might could perhaps possibly likely unlikely expect hope if whether".split())
# Verbs whose object the speaker turns down: their object's words count as negated.
REJECTION_LEMMAS = frozenset(
    """
    reject refuse deny suspend cancel halt block oppose boycott withdraw scrap abandon veto dismiss
    rebuff spurn snub revoke terminate freeze postpone shelve renounce repudiate obstruct sabotage
    undermine derail
    """.split()
)
NEGATION_WORDS = frozenset("not no never n't without nor neither none nobody nothing cannot".split())
# Reporting verbs, by the posture they give what they report.
CONFLICT_CUES = frozenset(
    "warn accuse blame slam blast attack denounce condemn criticize criticise reject threaten demand "
    "charge mock scoff insist lambaste rebuke decry fume snap".split()
)
COOPERATION_CUES = frozenset(
    "praise welcome thank hail commend applaud congratulate pledge promise agree".split()
)
# Function words: what two quotations may share without being the same statement (align.py counts
# only the other, content words).
FUNCTION_WORDS = frozenset(
    """
    a an the and or but nor so yet if then than that this these those there here of in on at to for from
    by with about as into onto over under between through throughout during before after up down out off
    is are was were be been being am do does did doing have has had having will would shall should can
    could may might must i me my mine we us our ours you your yours he him his she her hers it its they
    them their theirs who whom whose which what when where why how all any both each every some such no
    not only own same too very just also again further once more most other s t don't it's i'm we're
    we've we'll i've i'll they're that's there's
    """.split()
)
# Verbs of the acts that event coders code (CAMEO / PLOVER verbal classes), by the posture of the
# act: the head verb of a report ("The ministry accused…", "Both sides agreed…") carries it. Verbs
# whose posture turns on their object are left out (`withdraw` troops or support, `express` thanks or
# concern, `order` talks or strikes, `walk` out or on).
CONFLICT_ACTS = CONFLICT_CUES | frozenset(
    """
    protest boycott expel sanction sue ban veto summon recall dismiss deride ridicule taunt denounce
    refuse oppose resist defy retaliate punish accuse allege complain object reproach castigate
    chastise berate assail excoriate vilify disparage belittle question challenge contest dispute
    investigate indict arrest detain ultimatum confront pressure force coerce deny reject rebuff spurn
    snub suspend sever freeze cancel halt block obstruct deplore impose scold refute lash
    """.split()
)
COOPERATION_ACTS = COOPERATION_CUES | frozenset(
    """
    consult meet host sign offer invite apologize apologise mediate reconcile cooperate endorse visit
    concede accept forgive reassure negotiate propose approve support back embrace resume restore
    release free lift ease grant extend renew reaffirm appreciate acknowledge receive
    congratulate honour honor salute encourage discuss confer convene telephone phone vow
    recognize recognise normalize normalise collaborate assist help provide donate contribute ratify
    share
    """.split()
)
STATEMENT_ACTS = frozenset(
    """
    say announce state comment decline note predict expect add report confirm estimate forecast
    schedule plan consider review study examine brief inform publish issue describe tell
    """.split()
)
# The third-person and -ing forms of the act verbs, as a resolution opens its clauses (`Condemns…`,
# `Welcoming…`), which the tagger often reads as nouns.
ACT_OPENINGS: dict[str, str] = {
    form: lemma
    for lemma in CONFLICT_ACTS | COOPERATION_ACTS | STATEMENT_ACTS
    for form in _inflections(lemma)[1::2]
}
# Nouns that name an act when a party performs them (`expressed its condemnation of`, `their
# gratitude to`), by the class of the act; `concern` counts as disapproval only when intensified
# ("deep concern"), as the guide says.
NOMINAL_ACTS: dict[str, str] = {
    **dict.fromkeys(
        """
        condemnation denunciation rejection demand accusation protest warning threat ultimatum criticism
        outrage indignation dismay alarm objection opposition displeasure disapproval regret
        sanction sanctions complaint boycott
        """.split(),
        "conflict",
    ),
    **dict.fromkeys(
        """
        appreciation gratitude thanks welcome support solidarity commitment condolence condolences
        sympathy congratulations congratulation praise apology willingness readiness satisfaction
        talks negotiation negotiations agreement accord treaty deal truce ceasefire aid assistance
        cooperation dialogue coordination collaboration partnership consultation consultations
        reconciliation mediation restraint de-escalation
        """.split(),
        "cooperation",
    ),
    "concern": "statement",
}
# A step's direction turns on what it is taken with (the guide's "restrictions lifted" and "aid
# suspended"): removing a means of pressure or imposing a tie moves toward the other side, removing a
# tie or imposing pressure moves against it (a charge the other side pays, like rent or a fee, is
# pressure: freezing the rent moves toward the tenants). Verbs (and the nouns that name them) of each kind:
REMOVING = frozenset(
    """
    lift ease end withdraw release free remove relax drop scrap cancel halt suspend cut reduce sever
    cease freeze abandon disband dismantle evacuate recall stop close shut prohibit ban block bar revoke
    terminate downgrade curtail restrict lifting easing ending withdrawal removal relaxation
    cancellation suspension reduction severing freezing dismantling evacuation closure revocation
    termination downgrading
    """.split()
)
IMPOSING = frozenset(
    """
    impose tighten extend expand reinforce introduce maintain declare deploy send increase restore
    resume reopen upgrade boost establish renew station double widen strengthen deepen normalize
    normalise launch unfreeze unblock raise hike imposition tightening extension expansion deployment
    restoration resumption reopening upgrading strengthening normalization normalisation
    """.split()
)
PRESSURE = frozenset(
    """
    sanction embargo blockade ban restriction curb curfew siege occupation checkpoint tariff quota
    boycott troop force soldier army militia weapon missile hostage prisoner detainee captive
    barrier deportation expulsion hostility offensive bombardment airstrike strike raid martial
    inspection control duty levy military attack bombing shelling fire operation
    rent price fee fare toll
    """.split()
)
# Handing something over moves toward the other side, whatever it is (`released the hostages`,
# `released the frozen funds`).
RELEASING = frozenset(["release", "free"])
TIES = frozenset(
    """
    aid assistance tie relation link inspector monitor observer ambassador embassy envoy diplomat
    support cooperation funding grant loan credit talk negotiation dialogue agreement accord treaty
    ceasefire truce flight trade investment access visa contact exchange relief supply shipment
    convoy mission peacekeeper partnership border crossing airspace consulate market fund asset
    account
    """.split()
)
# Verbs that ask a step of someone (`urged Moscow to withdraw`, `demanded the withdrawal`).
ASKING_VERBS = frozenset(
    "urge call demand ask request press insist appeal implore exhort plead beg require push order".split()
)
# Nouns a speaker stresses the need of (`stresses the importance of dialogue`, `the need for
# sanctions`): what follows them is what the speaker asks for.
NEED_NOUNS = frozenset("importance need necessity urgency value significance call appeal".split())
# Verbs that hand the act to their object (`expressed its gratitude`, `reiterates its call`).
LIGHT_VERBS = frozenset(
    """
    express voice register reiterate reaffirm convey extend renew repeat lodge issue offer hold sign
    reach conclude resume impose level file make provide pledge
    """.split()
)
INTENSIFIERS = frozenset(
    """
    deep deepest grave serious profound great greatest strong strongest growing particular utmost
    deeply gravely seriously profoundly greatly strongly particularly very extremely increasingly most
    """.split()
)
# Adjectives a party states its stance with (`The Council is alarmed by…`, `We are grateful to…`), by
# the class of the act; `concerned` counts as disapproval only when intensified, as `concern` does.
STANCE_ADJECTIVES: dict[str, str] = {
    **dict.fromkeys(
        """
        alarmed dismayed appalled outraged troubled disturbed disappointed indignant shocked angered
        incensed frustrated
        """.split(),
        "conflict",
    ),
    **dict.fromkeys("grateful thankful appreciative encouraged heartened gratified".split(), "cooperation"),
    **dict.fromkeys("concerned worried".split(), "statement"),
}


@lru_cache(maxsize=1)
def evaluation_lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """Words that praise and words that blame (quotes/data/evaluation_lexicon.json, written for the
    project)."""
    data = json.loads(
        (Path(__file__).parent / "data" / "evaluation_lexicon.json").read_text(encoding="utf-8")
    )
    return frozenset(data["positive"]), frozenset(data["negative"])


@lru_cache(maxsize=1)
def posture_words() -> frozenset[str]:
    """Every word the posture and evaluation lexicons list, in the form they list it."""
    positive, negative = evaluation_lexicon()
    return positive | negative | CONCILIATORY_LEMMAS | ADVERSARIAL_LEMMAS


@lru_cache(maxsize=1)
def g_dropped_forms() -> dict[str, str]:
    """The -ing forms of the words that praise or blame as quoted speech often spells them, without
    the g (`lyin'`, `cheatin'`), mapped to their lemma."""
    words = frozenset(w for w in posture_words() if w.isalpha())
    return {form[:-1]: lemma for form, lemma in verb_forms(words, bare=False).items() if form.endswith("ing")}
