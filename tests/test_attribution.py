"""Attribution, as a specification: (text, quotation, speaker) tables written for these tests."""

from __future__ import annotations

import pytest

from quotes.extract import extract_articles
from quotes.names import canonicalize
from quotes.records import Article, Quotation


def extract(*texts: str) -> list[Quotation]:
    articles = [Article(id=f"a{n}", text=text, outlet=f"outlet{n}") for n, text in enumerate(texts)]
    results = list(extract_articles(articles))
    return canonicalize([q for r in results for q in r.quotations], [n for r in results for n in r.people])


def quotation(quotations: list[Quotation], words: str) -> Quotation:
    found = [q for q in quotations if words in q.text]
    assert found, f"no quotation containing {words!r} in {[q.text for q in quotations]}"
    return found[0]


SPEAKER_CASES = [
    # hyphenated names are one name
    (
        "White House press secretary Karine Jean-Pierre said the visit was “productive.”",
        "productive",
        "Karine Jean-Pierre",
        "said",
    ),
    ("“It is a disgrace,” said Alexandria Ocasio-Cortez.", "a disgrace", "Alexandria Ocasio-Cortez", "said"),
    # speaker after the quotation, plain and inverted, with appositives
    (
        "“The vote was close,” Senator Tom Reed told reporters.",
        "vote was close",
        "Tom Reed",
        "told reporters",
    ),
    (
        "“We will rebuild the bridge,” said Maria Lopez, the mayor of Springfield.",
        "rebuild the bridge",
        "Maria Lopez",
        "said",
    ),
    (
        "“Prices will fall,” the economist Dan Ortiz, who advises the bank, said on Monday.",
        "Prices",
        "Dan Ortiz",
        "said",
    ),
    # a pseudo-cleft: the subject of `all … could do` speaks, not `all`
    (
        "Rosa Diaz watched the water rise. All she could do was shout: “Get out of the house!”",
        "Get out",
        "Rosa Diaz",
        "shout",
    ),
    (
        "Tom Reyes stood at the door. All he could do was plead, “Please let my son go home tonight.”",
        "my son",
        "Tom Reyes",
        "plead",
    ),
    # a reporting verb the tagger reads as a noun (`read`, `states`) after the speaker's noun phrase
    (
        "“If she wants to lead the state, Ruth Kane should come to the valley and see the damage,” "
        "the editorial read.",
        "see the damage",
        "editorial",
        "read",
    ),
    (
        "“The mayor cares about every street in this city,” a voice-over in the new ad states.",
        "every street",
        "voice-over in the new ad",
        "states",
    ),
    # speaker before: comma, colon, "that", appositive between name and verb
    ("Hugh Hill, a doctor at the clinic, said: “The ward is full.”", "ward is full", "Hugh Hill", "said"),
    ("Jane Smith insisted, “I did nothing wrong.”", "nothing wrong", "Jane Smith", "insisted"),
    ("Coach Ana Ruiz said that “the team never gave up.”", "never gave up", "Ana Ruiz", "said"),
    # the parser takes a name in the quotation for the verb's subject: the speaker is outside it
    (
        "“The Taxpayers League, the Farm Bureau, Senator Ann Kerr,” Mr. Dunn, the county treasurer, said, "
        "“all of them asked for the audit.”",
        "all of them",
        "Dunn",
        "said",
    ),
    # a colon lead-in in a paragraph of its own
    (
        "Finance Minister Ana Silva said:\n\n“We have no plans to raise taxes this year.”",
        "raise taxes",
        "Ana Silva",
        "said",
    ),
    # "according to", dash and byline attributions
    (
        "According to Acme Corp, “sales fell by a third in the spring.”",
        "sales fell",
        "Acme Corp",
        "According to",
    ),
    (
        "The motto stayed.\n\n“Never give up on the people you serve.” — Mayor Carla Diaz",
        "Never give up",
        "Carla Diaz",
        None,
    ),
    # other reporting verbs and media
    (
        "Gen. Mark Cole warned that the border was “no longer secure.”",
        "no longer secure",
        "Mark Cole",
        "warned",
    ),
    ("Senator Lee Park tweeted: “Great win tonight for the home team!”", "Great win", "Lee Park", "tweeted"),
    (
        "In a statement, Acme Corp said it “regrets the delay to all customers.”",
        "regrets the delay",
        "Acme Corp",
        "said",
    ),
    (
        "Principal Amy Chen sent a letter home. She wrote that “the school must change course.”",
        "change course",
        "Amy Chen",
        "wrote",
    ),
    # partial quotations inside reported speech
    (
        "Premier Li Wei said trade was “the heart of the relationship” with Europe.",
        "heart of the",
        "Li Wei",
        "said",
    ),
    (
        "The Pentagon described the encounter as “unsafe and unprofessional.”",
        "unsafe",
        "Pentagon",
        "described",
    ),
    # a reporting verb after the speaker's role and name in apposition (parsed as hanging from the role)
    (
        "“Is the governor going to finally answer the question? If she does not, she should resign!” "
        "the state party chairman, Karl Brenner, tweeted Sunday after the vote.",
        "finally answer",
        "Karl Brenner",
        "tweeted",
    ),
    # the second part of a split quotation goes on with its speaker; a name heading the next section
    # does not sign it
    (
        "“She taught us all to be brave,” her friend Nadia Karimi told reporters. “She never gave up on "
        "anyone.”\n\nSofia Marchetti.\n\nSofia Marchetti, a nurse from Milan, also knew her well.",
        "never gave up",
        "Nadia Karimi",
        "told reporters",
    ),
    (
        "“She never quits. She is ready.”\n\n-Maria Lopez, after Hillary Clinton's speech.\n\n"
        "The hall emptied.",
        "never quits",
        "Maria Lopez",
        None,
    ),
    # a fragment inside a free relative (`what would happen “…”`): the clause above it names the speaker
    (
        "Ortega cut his staff and began talking about what would happen “if the bill does not pass "
        "this spring.”",
        "bill does not pass",
        "Ortega",
        None,
    ),
    # a pronoun subject of a clause another speaker reports: the outer, named speaker's words
    (
        "Senator Alma Reyes said she had asked her “whole staff” to look into the contracts.",
        "whole staff",
        "Alma Reyes",
        "said",
    ),
    (
        "Mayor Tom Bell spoke at noon. Critics say he had proposed to “dismantle the transit board” "
        "last spring.",
        "dismantle",
        "critics",
        "say",
    ),
    # a dash and a name on the line after the quotation sign it, whether or not the tagger knows the name
    (
        "“We will keep fighting for every worker in this state.”\n\n-Jane Ruiz, Philadelphia.\n\n"
        "The rally ended.",
        "every worker",
        "Jane Ruiz",
        None,
    ),
    (
        "“Prices will keep rising until the port reopens.”\n\n- Okafor.\n\nOthers disagreed.",
        "port reopens",
        "Okafor",
        None,
    ),
    # a short fragment that is somebody's words by the noun it belongs to, not a scare quote
    (
        "Governor Ellen Park's call for “zero waste” drew praise from farmers.",
        "zero waste",
        "Ellen Park",
        None,
    ),
    # a noun for someone's words, with its author, as the subject of `was`
    (
        "Senator Ana Ruiz took the last question. Ruiz's answer was that “the family comes first.”",
        "family comes first",
        "Ana Ruiz",
        "answer",
    ),
    (
        "Mayor Tom Hale's response was: “We will rebuild, and we will do it fast.”",
        "We will rebuild",
        "Tom Hale",
        "response",
    ),
    (
        "The problem was that “nobody reads the fine print,” the auditor Sam Berg said.",
        "fine print",
        "Sam Berg",
        "said",
    ),
    # `the 46-year-old` is a person, though the tagger reads a date, and refers back like `she`
    (
        "Maria Lopez took the stage last. “He has always been a leader,” said the 46-year-old.",
        "always been a leader",
        "Maria Lopez",
        "said",
    ),
    # a clause joined beside the outer report keeps its own speaker
    (
        "Cruz said he would make the desert “glow in the dark,” and Trump vowed to “bomb the hell” "
        "out of them.",
        "bomb the hell",
        "Trump",
        "vowed",
    ),
    # … a weak cue too (`calling it`), when its clause has its own subject
    (
        "The two leaders met on Monday, the mayor saying she was “hopeful” and the governor calling it "
        "“a real start.”",
        "a real start",
        "governor",
        "calling",
    ),
    # a condition's verb before the comma leads into the quotation but does not report it
    (
        "Okafor said it was naive to think that if Washington pulls back, “the oceans will keep us safe.”",
        "oceans will keep",
        "Okafor",
        "said",
    ),
    # the writer's own clause joined after the quotation comes before its attribution
    (
        "“There is a sense of calm now,” and ticket sales began to recover last week, Okafor said.",
        "sense of calm",
        "Okafor",
        "said",
    ),
    # a passive report without `by …` names who was described, not who spoke
    (
        "The new party was branded “a vanity project” from the start, Ortiz wrote.",
        "vanity project",
        "Ortiz",
        "wrote",
    ),
    (
        "“We are in and out of the field faster,” Marsh is quoted as saying.",
        "out of the field",
        "Marsh",
        "quoted",
    ),
    # `according to` at the end of a long sentence, and the person whose work is cited
    (
        "The league is paying “dozens” of scouts to travel across the region and find young players for "
        "its academies next season, according to director Sam Ortiz.",
        "dozens",
        "Sam Ortiz",
        "according to",
    ),
    (
        "A “fair price” for a family home in the town is about $300,000, according to estimates by "
        "Dana Whitlock of the state university.",
        "fair price",
        "Dana Whitlock",
        "according to",
    ),
    # a document's filer or issuer, named as the agent of its participle
    (
        "“The evidence is insufficient to support a prosecution,” according to a court document filed "
        "by state attorney Dave Aronberg.",
        "insufficient",
        "Dave Aronberg",
        "according to",
    ),
    (
        "“We will appeal the ruling within the week,” according to a statement released by the Ministry "
        "of Justice.",
        "appeal the ruling",
        "Ministry of Justice",
        "according to",
    ),
    # a bare name before the colon labels the speaker, even after a clause and a dash
    (
        "Analysts agree - Dana Whitlock: “The slowdown will be short and shallow.”",
        "short and shallow",
        "Dana Whitlock",
        None,
    ),
    # an inverted attribution before a colon
    (
        "Marsh spoke for an hour.\n\nContinued Marsh: “So I think it is a real problem, and we will fix it.”",
        "a real problem",
        "Marsh",
        "Continued",
    ),
    # a participle the tagger took for a noun speaks for the subject of the verb above it
    (
        "Clinton responded to Vargas' question on Facebook writing, “We need a real plan for working "
        "families.”",
        "a real plan",
        "Clinton",
        "writing",
    ),
    (
        "The ad then cuts to footage of Donald Trump saying, “You have to give them a path.”",
        "give them a path",
        "Donald Trump",
        "saying",
    ),
    # a participle's aside between the speaker and the verb holds no speaker
    (
        "The row began after Ms. Okafor, asked about the dismissal of Mr. Brandt, had said, “We owe "
        "nobody an apology.”",
        "owe nobody",
        "Okafor",
        "said",
    ),
    # an infinitive of purpose hung from a noun speaks for the clause's subject
    (
        "The judge pointed to an earlier ruling to say that agencies must weigh “the public interest "
        "in disclosure.”",
        "public interest",
        "judge",
        "say",
    ),
    # the parser hung the attribution from a quoted noun, as if it were a relative clause
    (
        '"If State obtains additional records, it intends to search them for records" that would respond '
        "to requests from Judicial Watch, Justice Department senior trial counsel Maria Lewis Ruiz wrote "
        "in a court filing.",
        "search them",
        "Maria Lewis Ruiz",
        "wrote",
    ),
    # a person named right before the colon speaks when the clause's subject cannot
    (
        "The surge does not surprise pollster Dana Whitfield: “Lesser-known candidates often gain after "
        "early wins.”",
        "Lesser-known",
        "Dana Whitfield",
        None,
    ),
    # no space between the comma and the opening mark
    ("Lena Park said,“Look, we have to fix this now.”", "we have to fix", "Lena Park", "said"),
    # a title with an `of` phrase before the name
    (
        "Ms. Hale spoke first.\n\nSpeaker of the Assembly Tom Reyes said “We are ready to vote.”",
        "ready to vote",
        "Tom Reyes",
        "said",
    ),
    (
        "Speaker of the House Rep. Paul Ryan (R-WI) said “Those images have no place here.”",
        "no place here",
        "Paul Ryan",
        "said",
    ),
    # a party tag in brackets before the colon, with or without a space after it
    (
        "The hearing went on.\n\nRep. Kim Soto (D-N.Y.): “We need answers.”",
        "need answers",
        "Kim Soto",
        None,
    ),
    (
        'The hearing went on.\n\nRep. Trey Gowdy (R-S.C.):"Who told you that figure?"',
        "Who told you",
        "Trey Gowdy",
        None,
    ),
    # a hyphenated word does not end a colon's lead-in, and a relative clause's `that` is no speaker
    (
        "In his farewell to a party that made his father president, there were two words that a "
        "choked-up Ned Aldana could not bring himself to utter: “Ruth Vance.”",
        "Ruth Vance",
        "Ned Aldana",
        None,
    ),
    # the parser made the preposition before the speaker the verb's subject
    (
        "“He’s a circus act,” attorney Eric Levine said of Trump. Of Carson, Levine, who has given money "
        "to Marco Rubio, said, “He’s flat-out scary.”",
        "flat-out scary",
        "Eric Levine",
        "said",
    ),
    # a document that speaks in a relative clause speaks for whoever put it out
    (
        "In selling the courses, Dana Cole released a video that said, “Our teachers are the best.”",
        "teachers are the best",
        "Dana Cole",
        "said",
    ),
    # a handle after a dash signs the quotation
    (
        "He shared the post.\n\n“Live one day as a lion.” – @lionfan2016 #Lions",
        "as a lion",
        "@lionfan2016",
        None,
    ),
    # em dashes without spaces around a partial quotation
    (
        "She has touted her husband’s record—“the longest expansion in our history”—and promised more.",
        "longest expansion",
        None,
        "touted",
    ),
    # a quotation with no cue of its own goes on with the report in the sentence before
    (
        "“It’s ambush journalism,” Kay Reynolds says. It’s “this new in-your-face journalism and "
        "nobody likes it.”",
        "in-your-face",
        "Kay Reynolds",
        None,
    ),
    (
        "Misinformation is hard to dislodge, Professor Dan Ortiz said. Good information can still drive out "
        "bad, but only when “the truth is sexier than the lie.”",
        "sexier",
        "Dan Ortiz",
        None,
    ),
    # short words after a title noun are a statement unless written in title case
    (
        "For months, Senator Amy Tran has said the same thing at every campaign event: “It’s not about me, "
        "it’s about us.”",
        "about us",
        "Amy Tran",
        "said",
    ),
    # verbs of scornful speech report what they dismiss
    (
        "Campaign chair Paul Manafort dismissed the whole story as “absurd.”",
        "absurd",
        "Paul Manafort",
        "dismissed",
    ),
    # a quotation set off by a dash takes the attribution right after it, not the verb before the dash
    (
        "Ms. Ruiz suggested the mayor admired strongmen - “He would have loved them,” Ms. Ruiz said twice - "
        "and moved on.",
        "loved them",
        "Ruiz",
        "said",
    ),
    # a whole clause and a dash lead in, like a colon
    (
        "Governor Jane Okafor defended the budget -- “Every dollar in it is accounted for.”",
        "Every dollar",
        "Jane Okafor",
        None,
    ),
]


@pytest.fixture(scope="module")
def speaker_results() -> list[list[Quotation]]:
    return [extract(text) for text, *_ in SPEAKER_CASES]


@pytest.mark.parametrize(("index", "case"), list(enumerate(SPEAKER_CASES)), ids=[c[1] for c in SPEAKER_CASES])
def test_speaker_and_cue(speaker_results, index, case):
    _, words, speaker, cue = case
    found = quotation(speaker_results[index], words)
    assert found.speaker == speaker
    assert found.cue == cue


RESOLUTION_CASES = [
    # a surname alone keeps meaning whom it meant before; the second person of a name gets both names
    (
        "Hillary Clinton spoke first.\n\nOf course, Clinton said, “I did not know him well.”\n\nClinton and "
        "her husband, former President Bill Clinton, attended his wedding.\n\n“He has been offensive,” "
        "Clinton said.",
        "has been offensive",
        "Hillary Clinton",
    ),
    (
        "Donald Trump spoke in Iowa. Mr. Trump said he was tired.\n\nHe denies assaulting Ivana Trump.\n\n"
        "“I understand life,” Mr. Trump said.",
        "understand life",
        "Donald Trump",
    ),
    # split quotations and the speaker between their parts
    (
        "Mayor Maria Lopez spoke on Monday.\n\n“We are ready,” Lopez said. “The trucks leave at dawn.”",
        "trucks",
        "Maria Lopez",
    ),
    (
        "“We are ready,” said Chief Omar Farah, “and the trucks leave at dawn.”",
        "and the trucks",
        "Omar Farah",
    ),
    # a quotation with no cue continues the previous speaker's remarks
    (
        "“We will appeal,” said the lawyer David Park.\n\n“The ruling ignores the evidence.”",
        "ruling ignores",
        "David Park",
    ),
    # a reporting verb with an object of its own after `.”` starts the next sentence; a hearer does not
    (
        "“We are confident,” Ruth Kane said. “We have the votes.” Her rival Tom Reed announced a rally.",
        "have the votes",
        "Ruth Kane",
    ),
    (
        "“We are confident,” Ruth Kane said. “We have the votes.” Tom Reed told reporters on Sunday.",
        "have the votes",
        "Tom Reed",
    ),
    # only a connective (`Then,`, `But`) between the speaker's sentence and the next quotation
    (
        "“People looked at us like we had done something wrong,” Ruth Kane said. "
        "Then, “We tried to explain it to them. Nobody listened.”",
        "Nobody listened",
        "Ruth Kane",
    ),
    (
        "“We tried everything we could,” Ruth Kane said. But “nobody in the county office ever listened.”",
        "county office",
        "Ruth Kane",
    ),
    # a paragraph of quotation after a long paragraph of reported speech: that paragraph's speaker
    (
        "Ruth Kane argued in a long op-ed for the Valley Gazette on Sunday that the old chemical plant on "
        "the river should be closed before the spring floods arrive and the county runs out of money."
        "\n\n“The valley cannot afford another spill.”",
        "another spill",
        "Ruth Kane",
    ),
    # a quotation that runs over two paragraphs
    (
        "“We came here to work,” Mayor Lopez said. “The city needs it.\n\n“And we will finish the job.”",
        "finish the job",
        "Lopez",
    ),
    # a lead-in paragraph with no reporting verb: its subject introduces the quotations below it
    (
        "Senator Ruth Kane spoke on Monday. She then listed the traits a winning nominee must have:"
        "\n\n“Has the candidate fought for working families?”"
        "\n\n“Will the candidate stand firm under pressure?”",
        "stand firm",
        "Ruth Kane",
    ),
    # a quotation inside somebody's words (`her comment that`, `his call for`): their author
    (
        "Ruth Kane visited the mine on Monday. The union is unlikely to back Kane after her comment "
        "that “coal has no future in this state.”",
        "coal has no future",
        "Ruth Kane",
    ),
    ("Voters rallied to Tom Reed after his call for “a total ban on new mines.”", "total ban", "Tom Reed"),
    # a short capitalised quotation is no title because the sentence before ends in a possessive
    (
        "Tom Reed could not find a single backer for the party's nominee. “Not even one,” he said.",
        "Not even one",
        "Tom Reed",
    ),
    # pronouns, titles and roles resolve to the named person
    ("Governor Anne Bell visited the site on Friday. “We will rebuild,” she said.", "rebuild", "Anne Bell"),
    (
        "Secretary of State Antony Blinken met Qin Gang on Sunday."
        "\n\n“Progress was made,” the Secretary said.",
        "Progress was made",
        "Antony Blinken",
    ),
    (
        "Foreign Ministry spokesperson Wang Wenbin spoke on Friday. "
        "Commerce Minister Wang Wentao also attended.\n\n“The talks were useful,” the spokesperson said.",
        "talks were useful",
        "Wang Wenbin",
    ),
    # the same surname: the nearest compatible full name, never the first one
    (
        "Wang Yi met the envoy on Monday. Later, spokesman Wang Wenbin spoke to reporters.\n\n"
        "“We hope for more meetings,” Wang said.",
        "hope for more",
        "Wang Wenbin",
    ),
    # "he" after two people: the one in subject position
    (
        "Senator Paul Grant met Jane Moss on Tuesday. He said the bill was “dead on arrival.”",
        "dead on arrival",
        "Paul Grant",
    ),
]


@pytest.mark.parametrize(("text", "words", "speaker"), RESOLUTION_CASES, ids=[c[1] for c in RESOLUTION_CASES])
def test_resolution(text, words, speaker):
    assert quotation(extract(text), words).speaker == speaker


TYPE_CASES = [
    (
        "“We expect no breakthroughs,” a senior State Department official told reporters.",
        "breakthroughs",
        "senior State Department official",
        "anonymous",
    ),
    ("Officials said the plan was “on track for the spring.”", "on track", "officials", "anonymous"),
    ("Protesters chanted “No more war!” outside the embassy.", "No more war", "protesters", "group"),
    # a pronoun of nobody in particular is no earlier speaker (regression: both were Dana Ruiz)
    (
        "“We will win,” Dana Ruiz said.\n\nEveryone shouted “Four more years!” as she left.",
        "Four more years",
        "everyone",
        "group",
    ),
    (
        "“We will win,” Dana Ruiz said. Somebody yelled “Liar!” from the back.",
        "Liar",
        "somebody",
        "anonymous",
    ),
    ("The Pentagon called the maneuver “dangerous and reckless.”", "dangerous", "Pentagon", "organization"),
    ("“The city is safe,” Mayor Carla Diaz said.", "city is safe", "Carla Diaz", "person"),
    # an organisation whose clause embeds a fragment, with no reporting verb
    (
        "The Reed campaign has framed the race as “a choice between two futures.”",
        "choice",
        "Reed campaign",
        "organization",
    ),
    # documents speak for their authors: petitions, ads, cables
    (
        "The residents filed a petition. The petition accuses the city of “ignoring every warning.”",
        "ignoring",
        "petition",
        "organization",
    ),
    (
        "A campaign ad released on Friday accuses Ruth Kane of “selling out the farmers of this state.”",
        "selling out",
        "campaign ad",
        "organization",
    ),
    (
        "The report went online on Tuesday, and “nobody read it,” the blog noted.",
        "nobody read",
        "blog",
        "organization",
    ),
]


@pytest.mark.parametrize(("text", "words", "speaker", "kind"), TYPE_CASES, ids=[c[1] for c in TYPE_CASES])
def test_speaker_types(text, words, speaker, kind):
    found = quotation(extract(text), words)
    assert (found.speaker, found.speaker_type) == (speaker, kind)


ROLE_CASES = [
    # a title with `of the` before the name
    (
        "Ms. Hale spoke first.\n\nSpeaker of the Assembly Tom Reyes said “We are ready to vote.”",
        "Tom Reyes",
        "Speaker of the Assembly",
    ),
    (
        "“Both countries are working toward a meeting,” said Bonnie Glaser, managing director of the "
        "Indo-Pacific program at the German Marshall Fund.",
        "Bonnie Glaser",
        "managing director of the Indo-Pacific program at the German Marshall Fund",
    ),
    (
        "US Secretary of State Antony Blinken said the talks were “candid.”",
        "Antony Blinken",
        "Secretary of State",
    ),
    ("The chief of staff Mark Meadows said the plan was “fine.”", "Mark Meadows", "chief of staff"),
    # what the sentence says about the person is not their title
    (
        "Amash backs the impeachment of President Donald Trump, who said the probe was “a witch hunt.”",
        "Donald Trump",
        "President",
    ),
    (
        "The Senate began the trial of former President Donald Trump, who called it “a sham.”",
        "Donald Trump",
        "former President",
    ),
]


@pytest.mark.parametrize(("text", "speaker", "role"), ROLE_CASES, ids=[c[2] for c in ROLE_CASES])
def test_roles_are_kept_when_the_text_gives_them(text, speaker, role):
    [found] = extract(text)
    assert (found.speaker, found.speaker_role) == (speaker, role)


NOT_SPEECH = [
    "The so-called “peace dividend” never came.",
    "She starred in the film “Gone Girl” last year.",
    "He called his rival “Little Marco” at the rally.",
    "She starred in the film “Gone with the Wind” on stage.",
    "Thousands of self-described “Berners” marched downtown.",
    "The mayor faced Jesús “Chuy” García in the runoff.",
    "Weiner wrote under the pseudonym “Carlos Danger” for years.",
    "The authors of the “Growth and Opportunity Project” wrote that the party must change.",
    "Fans of the show “Breaking Bad” gathered in Albuquerque.",
]


@pytest.mark.parametrize("text", NOT_SPEECH)
def test_scare_quotes_titles_and_nicknames_are_left_out(text):
    assert extract(text) == []


KIND_CASES = [
    ("Premier Li Wei said trade was “the heart of the relationship.”", "partial"),
    ("“The vote was close,” Senator Tom Reed said.", "direct"),
    ("Coach Ana Ruiz said that “the team never gave up.”", "direct"),
    ("Coach Ana Ruiz called the season “a disaster from start to finish.”", "partial"),
]


@pytest.mark.parametrize(("text", "kind"), KIND_CASES)
def test_kind(text, kind):
    assert extract(text)[0].kind == kind


JOINED_FRAGMENT_CASES = [
    # fragments one cue reports together are one statement, the writer's connecting words included
    (
        "Mayor Ann Cole called the plan “reckless” and “a waste of money.”",
        ["“reckless” and “a waste of money.”"],
    ),
    (
        "The coach said the referees were “blind” and the league “a joke.”",
        ["“blind” and the league “a joke.”"],
    ),
    ("Marchers chanted “No justice, no peace” and “Hands up.”", ["“No justice, no peace” and “Hands up.”"]),
    # the writer's words between may run longer, verbs and all, inside the one clause the cue reports
    (
        "Kasich said the “danger” came from the anger of voters while “allowing old hatreds to surface.”",
        ["“danger” came from the anger of voters while “allowing old hatreds to surface.”"],
    ),
    # a verb of the writer's between starts a second statement
    (
        "Senator Ruiz called the bill “cruel” and accused its authors of “playing politics.”",
        ["“cruel”", "“playing politics.”"],
    ),
    # so does the attribution between the parts of a split quotation, or a new sentence
    ("“We will win,” Lopez said, “and we will win big.”", ["“We will win,”", "“and we will win big.”"]),
    ("Lopez said the vote was “close.” Her rival said it was “a farce.”", ["“close.”", "“a farce.”"]),
    (
        "Grayson said Randolph “would have no chance to win,” and added that she was “not ready.”",
        ["“would have no chance to win,”", "“not ready.”"],
    ),
]


@pytest.mark.parametrize(
    ("text", "quotations"), JOINED_FRAGMENT_CASES, ids=[c[0] for c in JOINED_FRAGMENT_CASES]
)
def test_fragments_of_one_statement_are_one_quotation(text, quotations):
    assert [q.text for q in extract(text)] == quotations


PARTY_CASES = [
    # words quoted inside the speaker's or the hearer's noun phrase name them; they were not said
    (
        "“We fixed real problems,” said former Rep. George Miller, one of the original “big four” "
        "negotiators.",
        ["“We fixed real problems,”"],
    ),
    (
        "“He’s a nice person,” Mr. Trump told the hosts of “Morning Joe,” on Monday.",
        ["“He’s a nice person,”"],
    ),
    # a clause inside the phrase still reports
    (
        "“We lost,” said Senator Ann Lee, who called the deal “a disaster for the state.”",
        ["“We lost,”", "“a disaster for the state.”"],
    ),
]


@pytest.mark.parametrize(("text", "quotations"), PARTY_CASES, ids=[c[0] for c in PARTY_CASES])
def test_names_of_who_speaks_or_hears_are_not_quotations(text, quotations):
    assert [q.text for q in extract(text)] == quotations


@pytest.mark.parametrize(
    "text",
    [
        "Economists weigh in - Dana Whitlock: “One lesson was simple: watch the payrolls.”",
        "Dana Whitlock spoke last.\n\nContinued Whitlock: “One lesson was simple: watch the payrolls.”",
    ],
)
def test_a_name_before_a_colon_is_mentioned_without_the_words_before_it(text):
    assert quotation(extract(text), "payrolls").speaker_mention in ("Dana Whitlock", "Whitlock")


def test_headline_quotations_are_kept_without_a_speaker():
    found = extract("Blinken has ‘candid’ talks in Beijing\n\nThe secretary met his counterpart on Sunday.")
    assert [(q.text, q.speaker, q.speaker_type) for q in found] == [("‘candid’", None, "unknown")]


def test_speakers_get_one_name_across_articles():
    found = extract(
        "State Department spokesperson Matthew Miller spoke on Monday. “We are hopeful,” Miller said.",
        "“The talks went well,” spokesperson Matt Miller said.",
        "US Secretary of State Antony Blinken arrived in Beijing on Sunday.",
        "“We have work to do,” Blinken said.",
    )
    assert {q.speaker for q in found} == {"Matthew Miller", "Antony Blinken"}


def test_different_people_with_one_surname_stay_apart_across_articles():
    found = extract(
        "“We want stability,” said Foreign Minister Wang Yi.",
        "“The United States must stop,” said spokesman Wang Wenbin.",
        "“Trade matters to both sides,” Wang Wentao, the commerce minister, said.",
    )
    assert sorted(q.speaker for q in found) == ["Wang Wenbin", "Wang Wentao", "Wang Yi"]


def test_spans_and_mentions_are_offsets_into_the_text():
    text = "Intro line.\n\n“We are ready,” said Chief Omar Farah, “and the trucks leave at dawn.”"
    for q in extract(text):
        assert text[q.start : q.end] == q.text
        assert text[q.speaker_start : q.speaker_end] == q.speaker_mention


# Parses the small statistical parser gives real news sentences, written out token by token
# (word, POS, dependency, head index, entity, lemma), so that each rule is tested against the very
# misparse it recovers from: the attribution must still find the speaker.
MISPARSE_CASES = [
    (
        # two subjects hung on the verb, a fronted place name and the speaker: the nearest speaks
        "of two subjects the nearest",
        [
            ("In", "ADP", "prep", 6, "", "in"),
            ("Salem", "PROPN", "pobj", 0, "GPE", "Salem"),
            (",", "PUNCT", "punct", 1, "", ","),
            ("Oregon", "PROPN", "nsubj", 6, "GPE", "Oregon"),
            (",", "PUNCT", "punct", 6, "", ","),
            ("Pratt", "PROPN", "nsubj", 6, "PERSON", "Pratt"),
            ("said", "VERB", "ROOT", 6, "", "say"),
            (",", "PUNCT", "punct", 6, "", ","),
            ("“", "PUNCT", "punct", 11, "", "“"),
            ("We", "PRON", "nsubj", 11, "", "we"),
            ("will", "AUX", "aux", 11, "", "will"),
            ("win", "VERB", "ccomp", 6, "", "win"),
            (".", "PUNCT", "punct", 11, "", "."),
            ("”", "PUNCT", "punct", 11, "", "”"),
        ],
        "We will win",
        "Pratt",
    ),
    (
        # a participle inside the speaker's appositive is not the attribution's verb
        "a participle in the appositive",
        [
            ("“", "PUNCT", "punct", 1, "", "“"),
            ("Are", "AUX", "ROOT", 1, "", "be"),
            ("you", "PRON", "nsubj", 1, "", "you"),
            ("ready", "ADJ", "acomp", 1, "", "ready"),
            ("?", "PUNCT", "punct", 1, "", "?"),
            ("”", "PUNCT", "punct", 1, "", "”"),
            ("Olsen", "PROPN", "nsubj", 12, "PERSON", "Olsen"),
            (",", "PUNCT", "punct", 6, "", ","),
            ("a", "DET", "det", 10, "", "a"),
            ("retired", "VERB", "amod", 10, "", "retire"),
            ("teacher", "NOUN", "appos", 6, "", "teacher"),
            (",", "PUNCT", "punct", 6, "", ","),
            ("said", "VERB", "ROOT", 12, "", "say"),
            (".", "PUNCT", "punct", 12, "", "."),
        ],
        "Are you ready",
        "Olsen",
    ),
    (
        # the reporting verb hung from the quotation, with its own subject, still reports it
        "a clause with its own subject",
        [
            ("“", "PUNCT", "punct", 2, "", "“"),
            ("Nobody", "PRON", "nsubj", 2, "", "nobody"),
            ("objected", "VERB", "ROOT", 2, "", "object"),
            (",", "PUNCT", "punct", 2, "", ","),
            ("”", "PUNCT", "punct", 2, "", "”"),
            ("Kane", "PROPN", "nsubj", 6, "PERSON", "Kane"),
            ("wrote", "VERB", "acl", 2, "", "write"),
            ("in", "ADP", "prep", 6, "", "in"),
            ("an", "DET", "det", 9, "", "an"),
            ("email", "NOUN", "pobj", 7, "", "email"),
            (".", "PUNCT", "punct", 2, "", "."),
        ],
        "Nobody objected",
        "Kane",
    ),
    (
        # a surname the tagger took for a modal (`Will`), between the quotation and its verb
        "a capitalised word before the verb",
        [
            ("“", "PUNCT", "punct", 2, "", "“"),
            ("Taxes", "NOUN", "nsubj", 2, "", "tax"),
            ("rose", "VERB", "ROOT", 2, "", "rise"),
            (",", "PUNCT", "punct", 2, "", ","),
            ("”", "PUNCT", "punct", 2, "", "”"),
            ("Will", "AUX", "aux", 6, "", "will"),
            ("wrote", "VERB", "ROOT", 6, "", "write"),
            (".", "PUNCT", "punct", 6, "", "."),
        ],
        "Taxes rose",
        "Will",
    ),
    (
        # inverted order with a surname the tagger took for an adverb (`said Brandt`)
        "a capitalised word after the verb",
        [
            ("“", "PUNCT", "punct", 2, "", "“"),
            ("Nobody", "PRON", "nsubj", 2, "", "nobody"),
            ("came", "VERB", "ROOT", 2, "", "come"),
            (",", "PUNCT", "punct", 2, "", ","),
            ("”", "PUNCT", "punct", 2, "", "”"),
            ("said", "VERB", "ROOT", 5, "", "say"),
            ("Brandt", "ADV", "advmod", 5, "", "brandt"),
            (".", "PUNCT", "punct", 5, "", "."),
        ],
        "Nobody came",
        "Brandt",
    ),
    (
        # a subject read as a modifier of the verb, itself read as an adjective (`Okafor blasted`)
        "a name hung as a compound",
        [
            ("Later", "ADV", "advmod", 4, "", "later"),
            (",", "PUNCT", "punct", 4, "", ","),
            ("Okafor", "PROPN", "compound", 4, "ORG", "Okafor"),
            ("blasted", "VERB", "amod", 4, "", "blast"),
            ("rules", "NOUN", "ROOT", 4, "", "rule"),
            ("as", "ADP", "prep", 4, "", "as"),
            ("“", "PUNCT", "punct", 9, "", "“"),
            ("plainly", "ADV", "advmod", 9, "", "plainly"),
            ("absurd", "ADJ", "amod", 9, "", "absurd"),
            ("nonsense", "NOUN", "pobj", 5, "", "nonsense"),
            (".", "PUNCT", "punct", 4, "", "."),
            ("”", "PUNCT", "punct", 4, "", "”"),
        ],
        "plainly absurd",
        "Okafor",
    ),
    (
        # a participle after the attribution describes the speaker; it does not end the sentence there
        "a participle after the verb",
        [
            ("“", "PUNCT", "punct", 2, "", "“"),
            ("Who", "PRON", "nsubj", 2, "", "who"),
            ("knows", "VERB", "ROOT", 2, "", "know"),
            ("?", "PUNCT", "punct", 2, "", "?"),
            ("”", "PUNCT", "punct", 2, "", "”"),
            ("Ruiz", "PROPN", "nsubj", 6, "PERSON", "Ruiz"),
            ("asked", "VERB", "ROOT", 6, "", "ask", "VBD"),
            (",", "PUNCT", "punct", 6, "", ","),
            ("shaking", "VERB", "xcomp", 6, "", "shake", "VBG"),
            ("his", "PRON", "poss", 10, "", "his"),
            ("head", "NOUN", "dobj", 8, "", "head"),
            (".", "PUNCT", "punct", 6, "", "."),
        ],
        "Who knows",
        "Ruiz",
    ),
    (
        # a past tense read as a participle heading the sentence, its subject read as a modifier
        "a past tense read as a participle",
        [
            ("“", "PUNCT", "punct", 1, "", "“"),
            ("Go", "VERB", "ccomp", 6, "", "go"),
            ("home", "ADV", "advmod", 1, "", "home"),
            (",", "PUNCT", "punct", 6, "", ","),
            ("”", "PUNCT", "punct", 6, "", "”"),
            ("Okafor", "PROPN", "compound", 6, "", "Okafor"),
            ("barked", "VERB", "ROOT", 6, "", "bark", "VBN"),
            ("and", "CCONJ", "cc", 6, "", "and"),
            ("left", "VERB", "conj", 6, "", "leave", "VBD"),
            (".", "PUNCT", "punct", 6, "", "."),
        ],
        "Go home",
        "Okafor",
    ),
    (
        # a subjectless `told`: the outlet after it heard the words; the noun phrase before it spoke
        "the hearer after a subjectless verb",
        [
            ("“", "PUNCT", "punct", 2, "", "“"),
            ("Nobody", "PRON", "nsubj", 2, "", "nobody"),
            ("came", "VERB", "ROOT", 2, "", "come"),
            (",", "PUNCT", "punct", 2, "", ","),
            ("”", "PUNCT", "punct", 2, "", "”"),
            ("an", "DET", "det", 6, "", "an"),
            ("aide", "NOUN", "dep", 2, "", "aide"),
            ("told", "VERB", "ROOT", 7, "", "tell", "VBD"),
            ("Reuters", "PROPN", "dobj", 7, "ORG", "Reuters"),
            (".", "PUNCT", "punct", 7, "", "."),
        ],
        "Nobody came",
        "an aide",
    ),
]


def parsed(nlp, tokens: list[tuple]):
    """A Doc with the given parse (words joined by single spaces, no space inside the marks); a token's
    optional seventh field is its fine-grained tag."""
    from spacy.tokens import Doc

    words = [t[0] for t in tokens]
    spaces = [
        i + 1 < len(words) and word not in ("“",) and words[i + 1] not in (",", ".", "?", "”")
        for i, word in enumerate(words)
    ]
    ents, previous = [], ""
    for t in tokens:
        ents.append(f"{'I' if t[4] and t[4] == previous else 'B'}-{t[4]}" if t[4] else "O")
        previous = t[4]
    return Doc(
        nlp.vocab,
        words=words,
        spaces=spaces,
        pos=[t[1] for t in tokens],
        deps=[t[2] for t in tokens],
        heads=[t[3] for t in tokens],
        ents=ents,
        lemmas=[t[5] for t in tokens],
        tags=[t[6] if len(t) > 6 else "" for t in tokens],
    )


@pytest.mark.parametrize(
    ("name", "tokens", "words", "mention"), MISPARSE_CASES, ids=[c[0] for c in MISPARSE_CASES]
)
def test_attribution_recovers_from_misparses(nlp, name, tokens, words, mention):
    from quotes.attribution import attribute
    from quotes.marks import find_quotations, paragraph_spans

    doc = parsed(nlp, tokens)
    quotes = find_quotations(doc.text)
    found = [
        a
        for a in attribute(doc, quotes, paragraph_spans(doc.text))
        if words in doc.text[a.quote.start : a.quote.end]
    ]
    assert found and found[0].mention is not None and found[0].mention.text == mention, doc.text


def test_entities_listed_once_match_spacy(nlp):
    # speakers.py reads entities through quotes.pipeline's cached list, not spaCy's `.ents`
    from quotes.pipeline import entities_in, entity_at

    doc = nlp(
        "Secretary of State Antony Blinken met Wang Yi in Beijing on Sunday, the State Department said."
    )
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            span = doc[start:end]
            assert [(e.start, e.end, e.label_) for e in entities_in(span)] == [
                (e.start, e.end, e.label_) for e in span.ents
            ]
    starts = {e.start for e in doc.ents}
    assert [entity_at(doc, i) is not None for i in range(len(doc))] == [i in starts for i in range(len(doc))]


def test_a_capitalised_section_label_is_no_speaker(nlp):
    # regression: a newsletter's label (`FAREWELL—“…”`), which the parser made the subject of the
    # clause that embeds the quotation, was taken for its speaker
    from quotes.attribution import attribute
    from quotes.marks import find_quotations, paragraph_spans

    doc = parsed(
        nlp,
        [
            ("FAREWELL", "PROPN", "nsubj", 2, "", "farewell"),
            ("—", "PUNCT", "punct", 2, "", "—"),
            ("hosted", "VERB", "ROOT", 2, "", "host", "VBD"),
            ("“", "PUNCT", "punct", 6, "", "“"),
            ("late", "ADJ", "amod", 6, "", "late"),
            ("night", "NOUN", "compound", 6, "", "night"),
            ("shows", "NOUN", "dobj", 2, "", "show"),
            ("”", "PUNCT", "punct", 6, "", "”"),
            (".", "PUNCT", "punct", 2, "", "."),
        ],
    )
    found = attribute(doc, find_quotations(doc.text), paragraph_spans(doc.text))
    assert [a.mention for a in found] == [None], doc.text
