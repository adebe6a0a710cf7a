"""Words for demo profiles: varied, first-person, the way people describe themselves."""

APPRECIATED = [
    "I make people laugh, even on hard days.",
    "I show up for my neighbors. If someone needs a ride, I'm there.",
    "My kids say I give the best hugs.",
    "I'm honest. I'll tell you what I think.",
    "People say I'm a good listener and I remember birthdays.",
    "I can fix almost anything with a motor.",
    "I cook for the whole building on Sundays.",
    "I'm patient with the elders at church.",
]
IMPORTANT_TO = [
    "Being there for my kids and getting them to school every day.",
    "Keeping my dog, Biscuit. She's family.",
    "Going to Friday prayers at my mosque.",
    "Having my own place with a door that locks.",
    "Staying sober one day at a time.",
    "Talking to my mother in Oaxaca every Sunday.",
    "Getting back to work as a welder.",
    "Finishing my GED before my daughter graduates.",
    "My garden plot at the community garden.",
    "Playing dominoes with my friends at the park.",
]
IMPORTANT_FOR = [
    "Taking my blood pressure medicine every morning.",
    "Keeping my diabetes under control so I can keep my feet.",
    "Having enough food at the end of the month.",
    "A safe place to sleep that isn't the shelter.",
    "Seeing a counselor regularly.",
    "Getting my teeth fixed so I can eat properly.",
]
HOW_TO_SUPPORT = [
    "Call before you come. Don't just show up.",
    "Explain things slowly and write them down for me.",
    "Text first — I don't pick up unknown numbers.",
    "Talk to me, not to my daughter, even when she's interpreting.",
    "Give me time to think before I decide.",
    "Meet me at the library, not at home.",
]
STRENGTHS = [
    "Resourceful; I've gotten through worse.",
    "I'm organized. I keep every paper in a folder.",
    "My faith and my church family.",
    "I'm good with numbers.",
    "I never give up on my kids.",
    "I speak three languages.",
]
HOPES = [
    "To have a home where my grandchildren can visit.",
    "To open a small food truck.",
    "To get my license back and drive again.",
    "To see my son graduate.",
    "To feel calm in my own body.",
    "To go back to school for nursing.",
]
WANT_TO_CHANGE = [
    "I want to stop missing appointments because of the bus.",
    "I'd like to drink less when I'm lonely.",
    "I want to stop arguing with my landlord.",
    "I want to sleep through the night.",
    "I want to pay down my electric bill.",
]
CULTURE = [
    "I'm Diné. My family and my language are everything.",
    "Salvadoran, raised in Queens. Catholic.",
    "Somali Muslim; I prefer women staff when possible.",
    "Black, Southern, proud of where I come from.",
    "Vietnamese Buddhist; Tết matters a lot to me.",
    "Queer and proud. My chosen family is my support.",
    "Haitian. Kreyòl at home, English at work.",
]
STRESS_HELPS = [
    "Going for a walk by myself.",
    "Music — give me my headphones and ten minutes.",
    "Praying.",
    "Calling my sister.",
    "Deep breathing; someone reminding me to slow down.",
    "Holding something in my hands, like a stress ball.",
]
APPROACH_WITH_CARE = [
    "Please don't raise your voice. Loud voices take me back to bad times.",
    "I don't like closed doors in small rooms. Leave the door open.",
    "Questions about my ex are hard. Ask me if I'm ready first.",
    "Please don't touch my shoulder from behind.",
    "I was in foster care; talk of 'placement' upsets me.",
    "Hospitals are hard for me. Meet me somewhere else if you can.",
    "Don't mention my brother; he died last year.",
]
SAFETY_NOTES = [
    "Use the work phone only.",
    "Partner checks the phone — no texts.",
    "Don't say the agency's name on voicemail.",
    "Mail goes to my sister's address.",
    "",
    "",
]
