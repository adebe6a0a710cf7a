"""Words for demo profiles and contact rules: varied, first-person, the way people describe
themselves, and never contradicting each other or the person.

Each line says who could have written it: an age range, the naming traditions it fits
(`names.Heritage.key`; empty for anyone) and the contact rules it needs. A 24-year-old
does not hope for grandchildren, a Vietnamese Buddhist does not go to Friday prayers, and
"Text first" is never written by someone whose phone may not receive texts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

MUSLIM_MAJORITY = ("arab", "east_african", "persian_afghan", "west_african", "south_asian")


@dataclass(frozen=True)
class Line:
    text: str
    ages: tuple[int, int] = (18, 110)
    heritages: tuple[str, ...] = ()
    texts: bool | None = None  # needs a phone that may (True) or may not (False) get texts
    speaks: str = ""  # a language the person must have on record

    def fits(self, who: Who) -> bool:
        return (
            self.ages[0] <= who.age <= self.ages[1]
            and (not self.heritages or who.heritage in self.heritages)
            and (self.texts is None or self.texts == who.may_text)
            and (not self.speaks or self.speaks in who.languages)
        )


@dataclass(frozen=True)
class Who:
    """What the lines of a profile must fit."""

    age: int
    heritage: str
    languages: tuple[str, ...]
    may_text: bool


APPRECIATED = [
    Line("I make people laugh, even on hard days."),
    Line("I show up for my neighbors. If someone needs a ride, I'm there."),
    Line("My kids say I give the best hugs.", ages=(24, 80)),
    Line("I'm honest. I'll tell you what I think."),
    Line("People say I'm a good listener and I remember birthdays."),
    Line("I can fix almost anything with a motor."),
    Line("I cook for the whole building on Sundays."),
    Line("I'm patient with the elders at church.", ages=(18, 70)),
]
IMPORTANT_TO = [
    Line("Being there for my kids and getting them to school every day.", ages=(22, 55)),
    Line("Keeping my dog, Biscuit. She's family."),
    Line("Going to Friday prayers at my mosque.", heritages=MUSLIM_MAJORITY),
    Line("Having my own place with a door that locks."),
    Line("Staying sober one day at a time."),
    Line("Talking to my mother in Oaxaca every Sunday.", ages=(18, 65), heritages=("hispanic",)),
    Line("Getting back to work as a welder.", ages=(20, 62)),
    Line("Finishing my GED before my daughter graduates.", ages=(30, 55)),
    Line("My garden plot at the community garden."),
    Line("Playing dominoes with my friends at the park."),
]
IMPORTANT_FOR = [
    Line("Taking my blood pressure medicine every morning.", ages=(35, 110)),
    Line("Keeping my diabetes under control so I can keep my feet."),
    Line("Having enough food at the end of the month."),
    Line("A safe place to sleep that isn't the shelter."),
    Line("Seeing a counselor regularly."),
    Line("Getting my teeth fixed so I can eat properly."),
]
HOW_TO_SUPPORT = [
    Line("Call before you come. Don't just show up."),
    Line("Explain things slowly and write them down for me."),
    Line("Text first — I don't pick up unknown numbers.", texts=True),
    Line("Talk to me, not to my daughter, even when she's interpreting.", ages=(45, 110)),
    Line("Give me time to think before I decide."),
    Line("Meet me at the library, not at home."),
]
STRENGTHS = [
    Line("Resourceful; I've gotten through worse."),
    Line("I'm organized. I keep every paper in a folder."),
    Line("My faith and my church family."),
    Line("I'm good with numbers."),
    Line("I never give up on my kids.", ages=(22, 110)),
    Line("I can talk to anyone, anywhere."),
]
HOPES = [
    Line("To have a home where my grandchildren can visit.", ages=(50, 110)),
    Line("To open a small food truck.", ages=(18, 65)),
    Line("To get my license back and drive again."),
    Line("To see my son graduate.", ages=(35, 70)),
    Line("To feel calm in my own body."),
    Line("To go back to school for nursing.", ages=(18, 50)),
]
WANT_TO_CHANGE = [
    Line("I want to stop missing appointments because of the bus."),
    Line("I'd like to drink less when I'm lonely."),
    Line("I want to stop arguing with my landlord."),
    Line("I want to sleep through the night."),
    Line("I want to pay down my electric bill."),
]
CULTURE = [
    Line("I'm Diné. My family and my language are everything.", heritages=("native_american",)),
    Line("Salvadoran, raised in Queens. Catholic.", heritages=("hispanic",)),
    Line("Somali Muslim; I prefer women staff when possible.", heritages=("east_african",)),
    Line("Black, Southern, proud of where I come from.", heritages=("african_american",)),
    Line("Vietnamese Buddhist; Tết matters a lot to me.", heritages=("vietnamese",)),
    Line("Haitian. Kreyòl at home, English at work.", heritages=("haitian",), speaks="ht"),
    Line("Korean American; church with my mom on Sundays.", heritages=("korean",)),
    Line(
        "Cantonese at home; Lunar New Year with the whole family.",
        heritages=("chinese",),
        speaks="yue",
    ),
    Line("Polish Catholic; my parish helps a lot.", heritages=("polish",)),
    Line("Filipino; family and food are how we take care of each other.", heritages=("filipino",)),
    Line("Queer and proud. My chosen family is my support."),
]
STRESS_HELPS = [
    Line("Going for a walk by myself."),
    Line("Music — give me my headphones and ten minutes."),
    Line("Praying."),
    Line("Calling my sister."),
    Line("Deep breathing; someone reminding me to slow down."),
    Line("Holding something in my hands, like a stress ball."),
]
APPROACH_WITH_CARE = [
    Line("Please don't raise your voice. Loud voices take me back to bad times."),
    Line("I don't like closed doors in small rooms. Leave the door open."),
    Line("Questions about my ex are hard. Ask me if I'm ready first."),
    Line("Please don't touch my shoulder from behind."),
    Line("I was in foster care; talk of 'placement' upsets me."),
    Line("Hospitals are hard for me. Meet me somewhere else if you can."),
    Line("Don't mention my brother; he died last year."),
]

PROFILE = {
    # field: (lines, how often someone shared one)
    "appreciated": (APPRECIATED, 0.8),
    "important_to": (IMPORTANT_TO, 0.9),
    "important_for": (IMPORTANT_FOR, 0.8),
    "how_to_support": (HOW_TO_SUPPORT, 0.8),
    "strengths": (STRENGTHS, 0.8),
    "hopes": (HOPES, 0.8),
    "want_to_change": (WANT_TO_CHANGE, 0.6),
    "culture_identity": (CULTURE, 0.5),
    "stress_helps": (STRESS_HELPS, 0.6),
    "approach_with_care": (APPROACH_WITH_CARE, 0.3),
}


@dataclass(frozen=True)
class PhoneRules:
    """A phone's safe-contact rules, with a note that agrees with its checkboxes."""

    label: str
    may_text: bool
    may_leave_voicemail: bool
    safety_note: str = ""
    partner_is_unsafe: bool = False  # then no partner is listed as someone to involve


PHONE_RULES = [
    PhoneRules("mobile", True, True),
    PhoneRules("mobile", True, True),
    PhoneRules("mobile", True, False),
    PhoneRules("home", False, True),
    PhoneRules("work", False, True, "Use the work phone only."),
    PhoneRules("mobile", True, True, "Don't say the agency's name on voicemail."),
    PhoneRules("mobile", False, False, "Partner checks the phone — no texts, no voicemail.", True),
]


def profile_for(rng: random.Random, who: Who) -> dict[str, str]:
    """A profile whose lines fit the person (each field is often left empty)."""
    profile = {}
    for field, (lines, chance) in PROFILE.items():
        fitting = [line.text for line in lines if line.fits(who)]
        profile[field] = rng.choice(fitting) if fitting and rng.random() < chance else ""
    return profile
