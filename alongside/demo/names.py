"""Realistic, diverse identities for demo and benchmark data.

Plain data and small pure functions: everything random comes from the `random.Random`
passed in, so the same seed always gives the same people. Name pools are grouped by
heritage so that given names, family names and languages fit together (a Somali given
name with a Somali family name, Somali or English as language), and each pool is listed
roughly from the most to the least common name, which `_pick` turns into a realistic
long tail.

`random_identity` returns keys named like `Person` fields, so its result (without
"languages" and "heritage") can go straight to `people.services.person_create`.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TypedDict, TypeVar

from alongside.matching.nicknames import NICKNAMES

# Today's date is not used so that a seed gives the same people on any day.
REFERENCE_DATE = dt.date(2026, 1, 1)
T = TypeVar("T")


@dataclass(frozen=True)
class Heritage:
    """One naming tradition: its given and family names and the languages people use."""

    key: str
    share: float  # of the population served, before normalizing
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]  # "Kowalski/Kowalska" gives the masculine/feminine forms
    languages: tuple[tuple[str, float], ...]  # preferred language: BCP 47 tag, weight
    neutral: tuple[str, ...] = ()
    interpreter_rate: float = 0.5  # of those whose preferred language is not English
    second_family_rate: float = 0.0  # two family names, e.g. paternal and maternal
    hyphen_rate: float = 0.02  # two family names joined with a hyphen
    chosen_name_rate: float = 0.0  # an everyday name unlike the legal one (e.g. "Kevin")
    chosen_names: tuple[str, ...] = ()
    script: tuple[tuple[str, str], ...] = ()  # Latin → native script, for some people
    script_rate: float = 0.0
    two_spirit_rate: float = 0.0  # of those who share a gender identity


# fmt: off
GENERAL_AMERICAN = Heritage(
    key="general_american",
    share=0.20,
    female=(
        "Jennifer", "Jessica", "Ashley", "Sarah", "Emily", "Elizabeth", "Megan", "Amanda",
        "Lauren", "Rachel", "Hannah", "Madison", "Olivia", "Emma", "Abigail", "Brittany",
        "Heather", "Amber", "Kimberly", "Michelle", "Stephanie", "Nicole", "Samantha",
        "Katherine", "Rebecca", "Laura", "Christina", "Melissa", "Karen", "Susan", "Linda",
        "Patricia", "Barbara", "Nancy", "Donna", "Carol", "Sandra", "Deborah", "Sharon",
        "Cynthia", "Kathleen", "Anne-Marie", "Chloé", "Zoë", "Brooke", "Haley", "Kayla",
        "Courtney", "Danielle", "Tiffany", "Crystal", "Erin", "Allison", "Shelby", "Paige",
        "Margaret", "Dorothy", "Judith", "Joan", "Evelyn", "Gwendolyn", "Harper", "Charlotte",
    ),
    male=(
        "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph",
        "Thomas", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Andrew",
        "Joshua", "Kevin", "Brian", "Timothy", "Jason", "Ryan", "Jacob", "Tyler", "Ethan",
        "Noah", "Logan", "Dylan", "Austin", "Cody", "Travis", "Gary", "Dennis", "Larry",
        "Wayne", "Randy", "Billy", "Dale", "Kyle", "Zachary", "Nathan", "Benjamin", "Samuel",
        "Gregory", "Jeffrey", "Scott", "Eric", "Stephen", "Raymond", "Harold", "Walter",
        "Carl", "Roger", "Keith", "Jeremy", "Shane", "Garrett", "Hunter", "Colton", "Wyatt",
    ),
    neutral=(
        "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Avery", "Quinn", "Jamie", "Alex",
        "Rowan", "Skyler", "Emerson", "Parker", "Reese", "Sage", "River", "Cameron", "Drew",
    ),
    family=(
        "Smith", "Johnson", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas",
        "Moore", "Martin", "Thompson", "White", "Clark", "Lewis", "Walker", "Hall", "Allen",
        "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
        "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker",
        "Collins", "Edwards", "Stewart", "Morris", "Cook", "Rogers", "Morgan", "Peterson",
        "Cooper", "Reed", "Bailey", "Bell", "Howard", "Ward", "Cox", "Richardson", "Wood",
        "Watson", "Brooks", "Bennett", "Gray", "Hughes", "Price", "Sanders", "Myers", "Long",
        "Ross", "Foster", "Schmidt", "Müller", "Schneider", "Becker", "Hoffmann", "Schröder",
        "Koch", "Russo", "Romano", "Esposito", "Bianchi", "Ricci", "Lombardi", "Rossi",
        "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Lindqvist", "Johansson", "Nielsen",
        "Larsen", "Olsen", "Hansen", "Eriksen", "Van der Berg", "De Vries", "Dubois",
        "Lefèvre", "Laurent", "Girard", "Beaulieu", "Thibodeaux", "Boudreaux", "LeBlanc",
        "McKenzie", "MacDonald", "Henderson", "Fischer", "Weber", "Novak", "Horváth",
        "Papadopoulos", "Nikolaidis", "Ødegård", "Åberg",
    ),
    languages=(("en", 0.985), ("de", 0.005), ("it", 0.005), ("fr", 0.005)),
    hyphen_rate=0.04,
)

AFRICAN_AMERICAN = Heritage(
    key="african_american",
    share=0.12,
    female=(
        "Aaliyah", "Imani", "Jasmine", "Keisha", "Latoya", "Shanice", "Tamika", "Ebony",
        "Destiny", "Diamond", "Kiara", "Nia", "Zaria", "Ayanna", "Jada", "Tiana", "Deja",
        "Monique", "LaShawn", "Dominique", "Tanisha", "Precious", "Breanna", "Kendra",
        "Alexis", "Brianna", "Maya", "Janae", "Essence", "Da'Nisha", "Shaniqua", "Lakisha",
        "Octavia", "Yolanda", "Gloria", "Bernice", "Mae", "Ernestine", "Lorraine", "Kenya",
        "Tasha", "Nicole", "Kimberly", "Angela", "Denise", "Renée", "Aisha", "Amari",
    ),
    male=(
        "DeShawn", "Jamal", "Malik", "Darnell", "Tyrone", "Terrell", "Marquis", "Andre",
        "Jerome", "Cedric", "Reginald", "Darius", "Jalen", "Xavier", "Isaiah", "Elijah",
        "Marcus", "Kareem", "Dion", "Rashad", "Lamar", "Demetrius", "Tremaine", "Jaylen",
        "Trevon", "Quentin", "D'Andre", "De'Angelo", "Antoine", "Curtis", "Calvin", "Willie",
        "Otis", "Earl", "Cornelius", "Alonzo", "Kendrick", "Devonte", "Jermaine", "Terrence",
        "Maurice", "Lionel", "Desmond", "Booker", "Dwayne", "Leroy", "Roosevelt", "Ezekiel",
    ),
    neutral=("Jordan", "Amari", "Jaylin", "Kendall", "Justice", "Tracy", "Shawn"),
    family=(
        "Washington", "Jefferson", "Jackson", "Williams", "Johnson", "Brown", "Jones",
        "Davis", "Robinson", "Harris", "Thomas", "Banks", "Booker", "Freeman", "Mosley",
        "Gaines", "Coleman", "Jenkins", "Perry", "Powell", "Simmons", "Bryant", "Alexander",
        "Griffin", "Hayes", "Wallace", "Woods", "Holmes", "Dawson", "Pierce", "Gibson",
        "Franklin", "Tucker", "Battle", "Mack", "Moses", "Ware", "Haynes", "Dorsey",
        "Pettaway", "Rivers", "Whitfield", "Toussaint", "Gadsden", "Stokes", "Blackwell",
        "McCray", "Ellison", "Oliver", "Hairston", "Boykin", "Lockhart", "Spivey", "Gatlin",
        "Pinkney", "Sims", "Gilliam", "Wooten", "Council", "Outlaw", "Merriweather",
    ),
    languages=(("en", 1.0),),
    hyphen_rate=0.05,
)

HISPANIC = Heritage(
    key="hispanic",
    share=0.20,
    female=(
        "María", "Ana", "Guadalupe", "Juana", "Rosa", "Carmen", "Sofía", "Valentina",
        "Camila", "Isabella", "Lucía", "Ximena", "Daniela", "Gabriela", "Alejandra",
        "Mariana", "Verónica", "Leticia", "Yesenia", "Marisol", "Esperanza", "Dolores",
        "Araceli", "Itzel", "Yadira", "Maricela", "Beatriz", "Inés", "Consuelo", "Milagros",
        "Xiomara", "Yolanda", "María José", "Ana Lucía", "María de los Ángeles", "Rocío",
        "Graciela", "Socorro", "Luz María", "Paola", "Fernanda", "Jimena", "Nayeli", "Citlali",
        "Maribel", "Adriana", "Patricia", "Claudia", "Elena", "Josefina", "Reina", "Dulce",
    ),
    male=(
        "José", "Juan", "Luis", "Carlos", "Jesús", "Miguel", "Francisco", "Javier",
        "Alejandro", "Santiago", "Mateo", "Diego", "Andrés", "Fernando", "Ricardo",
        "Eduardo", "Héctor", "Raúl", "Sergio", "Jorge", "Óscar", "Rubén", "Ramón", "Joaquín",
        "Iván", "Emiliano", "Ángel", "Rigoberto", "Efraín", "Julián", "José Luis",
        "Juan Pablo", "Juan Carlos", "Guillermo", "Arturo", "Alfredo", "Armando", "Gerardo",
        "Pedro", "Manuel", "Rafael", "Ernesto", "Gustavo", "Salvador", "Ignacio", "Tomás",
        "Nicolás", "Sebastián", "Marco Antonio", "Cuauhtémoc",
    ),
    neutral=("Guadalupe", "Cruz", "Trinidad", "Rosario"),
    family=(
        "García", "Martínez", "Rodríguez", "López", "Hernández", "González", "Pérez",
        "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Reyes",
        "Morales", "Cruz", "Ortiz", "Gutiérrez", "Chávez", "Ramos", "Ruiz", "Álvarez",
        "Mendoza", "Vásquez", "Castillo", "Jiménez", "Moreno", "Romero", "Herrera",
        "Medina", "Aguilar", "Vargas", "Guzmán", "Muñoz", "Núñez", "Ibáñez", "Peña",
        "Salazar", "Delgado", "Figueroa", "Cervantes", "Márquez", "Villalobos", "Quiñones",
        "Espinoza", "Zúñiga", "Orozco", "Báez", "Cabrera", "De la Cruz", "Del Valle",
        "De León", "Quispe", "Mamani", "Huamán", "Xicay", "Tzul", "Sicán", "Ajú",
        "Ochoa", "Valenzuela", "Cárdenas", "Benítez", "Carrillo", "Acosta", "Domínguez",
        "Fuentes", "Montoya", "Sandoval", "Ybarra", "Treviño", "Echeverría", "Olmedo",
    ),
    languages=(("es", 0.52), ("en", 0.45), ("mam", 0.015), ("quc", 0.015)),
    interpreter_rate=0.6,
    second_family_rate=0.35,
    hyphen_rate=0.04,
)

WEST_AFRICAN = Heritage(
    key="west_african",
    share=0.03,
    female=(
        "Oluwaseun", "Folake", "Temitope", "Funmilayo", "Adeola", "Yetunde", "Abimbola",
        "Bukola", "Titilayo", "Chinwe", "Ngozi", "Chiamaka", "Ifeoma", "Adaeze", "Chioma",
        "Amara", "Akosua", "Ama", "Efua", "Abena", "Adwoa", "Fatou", "Aminata", "Mariama",
        "Aissatou", "Awa", "Kadiatou", "Oumou", "Yéwandé", "Ìfẹ́olúwa", "Comfort", "Blessing",
    ),
    male=(
        "Adebayo", "Oluwadamilare", "Babatunde", "Olumide", "Kehinde", "Taiwo", "Ayodele",
        "Chidi", "Obinna", "Emeka", "Nnamdi", "Ikenna", "Uchenna", "Chinonso", "Kelechi",
        "Kwame", "Kofi", "Kwabena", "Yaw", "Kwaku", "Mamadou", "Ousmane", "Ibrahima",
        "Cheikh", "Moussa", "Sékou", "Abdoulaye", "Alhassan", "Femi", "Tunde", "Godwin",
    ),
    neutral=("Kehinde", "Taiwo", "Ayodele", "Tobi", "Chinedu"),
    family=(
        "Adeyemi", "Okonkwo", "Okafor", "Oyelaran", "Adebayo", "Ogunleye", "Balogun", "Eze",
        "Nwosu", "Chukwu", "Obi", "Mensah", "Owusu", "Boateng", "Asante", "Darko", "Addo",
        "Diallo", "Ndiaye", "Sow", "Ba", "Traoré", "Koné", "Touré", "Cissé", "Diop", "Fall",
        "Sesay", "Kamara", "Dolo", "Flomo", "Kollie", "Tarr", "Weah", "Ogunbanjo",
        "Oyèlárán", "Adéwálé", "Nwachukwu", "Okeke", "Agyeman", "Appiah", "Keita",
        "Coulibaly", "Bangura", "Conteh",
    ),
    languages=(("en", 0.65), ("fr", 0.2), ("yo", 0.15)),
    interpreter_rate=0.4,
    hyphen_rate=0.01,
)

EAST_AFRICAN = Heritage(
    key="east_african",
    share=0.035,
    female=(
        "Hodan", "Faadumo", "Ayaan", "Ubah", "Fartun", "Sahra", "Hamdi", "Ilhan", "Hibo",
        "Nasra", "Deeqa", "Sagal", "Amina", "Khadra", "Selam", "Tigist", "Meron", "Hiwot",
        "Bethlehem", "Mekdes", "Almaz", "Eyerusalem", "Saba", "Samrawit", "Liya", "Senait",
        "Semhar", "Neema", "Zawadi", "Rehema", "Wanjiru", "Njeri", "Wambui", "Furaha",
    ),
    male=(
        "Abdirahman", "Mohamed", "Abdi", "Hassan", "Abdullahi", "Ahmed", "Mahad", "Liban",
        "Guled", "Abdiwali", "Yusuf", "Yohannes", "Dawit", "Solomon", "Tewodros", "Biniam",
        "Henok", "Abel", "Kidus", "Yonas", "Filmon", "Amanuel", "Baraka", "Juma",
        "Tumaini", "Kibet", "Otieno", "Jean-Claude", "Emmanuel", "Innocent",
    ),
    neutral=("Amani", "Imani", "Ruth", "Tesfa"),
    family=(
        "Abdi", "Ali", "Hassan", "Warsame", "Farah", "Jama", "Mohamud", "Omar", "Yusuf",
        "Osman", "Nur", "Aden", "Dahir", "Egal", "Hirsi", "Ismail", "Duale", "Guled",
        "Samatar", "Barre", "Elmi", "Shire", "Bihi", "Abdullahi", "Hussein", "Abebe",
        "Tesfaye", "Girma", "Bekele", "Haile", "Alemu", "Tadesse", "Kebede", "Desta",
        "Getachew", "Wolde", "Gebremedhin", "Tekle", "Hailemariam", "Assefa", "Negash",
        "Worku", "Mulugeta", "Ghebremariam", "Tesfay", "Mwangi", "Kamau", "Ochieng",
        "Njoroge", "Odhiambo", "Mbuyi", "Ilunga", "Ndayisaba", "Niyonzima", "Habimana",
        "Uwimana", "Mugisha",
    ),
    languages=(("so", 0.4), ("en", 0.25), ("am", 0.15), ("ti", 0.07), ("sw", 0.1),
               ("fr", 0.03)),
    interpreter_rate=0.65,
    hyphen_rate=0.0,
)

ARAB = Heritage(
    key="arab",
    share=0.03,
    female=(
        "Fatima", "Aisha", "Mariam", "Layla", "Noor", "Huda", "Rania", "Samira", "Yasmin",
        "Amal", "Salma", "Zainab", "Hana", "Dalia", "Nadia", "Rasha", "Reem", "Lina",
        "Sara", "Iman", "Ghada", "Mona", "Shereen", "Widad", "Khadija", "Asma", "Rawan",
    ),
    male=(
        "Mohammed", "Ahmad", "Omar", "Khalid", "Yousef", "Ali", "Hassan", "Hussein",
        "Ibrahim", "Mustafa", "Tariq", "Karim", "Samir", "Walid", "Bilal", "Hamza", "Amir",
        "Nabil", "Rami", "Ziad", "Faisal", "Majid", "Adnan", "Jamal", "Anas", "Abdulrahman",
    ),
    neutral=("Noor", "Salam", "Rida"),
    family=(
        "Al-Sayed", "Haddad", "Khoury", "Nasser", "Hamdan", "Saleh", "Abdullah", "Mansour",
        "Aziz", "Al-Amin", "Abboud", "Darwish", "Farouk", "Hijazi", "Jaber", "Kassem",
        "Mahmoud", "Najjar", "Shalabi", "Taha", "Yassin", "Zaher", "El-Masri", "Al-Hashimi",
        "Bakr", "Awad", "Ghanem", "Suleiman", "Othman", "Hamoud", "Al-Tamimi", "Qasim",
    ),
    languages=(("ar", 0.6), ("en", 0.38), ("fr", 0.02)),
    interpreter_rate=0.6,
    hyphen_rate=0.0,
    script=(
        ("Mohammed", "محمد"), ("Ahmad", "أحمد"), ("Omar", "عمر"), ("Ali", "علي"),
        ("Hassan", "حسن"), ("Fatima", "فاطمة"), ("Aisha", "عائشة"), ("Mariam", "مريم"),
        ("Layla", "ليلى"), ("Noor", "نور"), ("Yousef", "يوسف"), ("Khalid", "خالد"),
        ("Ibrahim", "إبراهيم"), ("Huda", "هدى"), ("Zainab", "زينب"), ("Amal", "أمل"),
        ("Salma", "سلمى"), ("Karim", "كريم"), ("Samir", "سمير"), ("Hussein", "حسين"),
        ("Haddad", "حداد"), ("Khoury", "خوري"), ("Nasser", "ناصر"), ("Saleh", "صالح"),
        ("Abdullah", "عبد الله"), ("Mansour", "منصور"), ("Aziz", "عزيز"),
        ("Darwish", "درويش"), ("Mahmoud", "محمود"), ("Najjar", "نجار"), ("Taha", "طه"),
        ("Yassin", "ياسين"), ("Awad", "عوض"), ("Suleiman", "سليمان"),
        ("Al-Sayed", "السيد"), ("Hamdan", "حمدان"), ("Jaber", "جابر"), ("Kassem", "قاسم"),
        ("Othman", "عثمان"),
    ),
    script_rate=0.2,
)

JEWISH = Heritage(
    key="jewish",
    share=0.02,
    female=(
        "Sarah", "Rivka", "Chaya", "Miriam", "Leah", "Rachel", "Esther", "Shira", "Yael",
        "Noa", "Talia", "Devorah", "Malka", "Batsheva", "Ayelet", "Tamar", "Hadassah",
        "Naomi", "Ruth", "Rina", "Tzipora", "Adina",
    ),
    male=(
        "Avraham", "Yitzhak", "Moshe", "David", "Eliyahu", "Shmuel", "Yosef", "Ari", "Noam",
        "Eitan", "Oren", "Menachem", "Mordechai", "Chaim", "Yehuda", "Baruch", "Levi",
        "Yaakov", "Dov", "Aharon", "Binyamin", "Gideon",
    ),
    neutral=("Ariel", "Noam", "Shai", "Eden"),
    family=(
        "Cohen", "Levi", "Friedman", "Goldberg", "Katz", "Schwartz", "Rosenberg", "Weiss",
        "Klein", "Shapiro", "Ben-David", "Mizrahi", "Peretz", "Azoulay", "Halevi",
        "Horowitz", "Rabinowitz", "Greenbaum", "Adler", "Stern", "Feldman", "Kaplan",
        "Ben-Ami", "Dahan", "Biton", "Ohayon", "Gold", "Lieberman", "Sasson", "Teitelbaum",
    ),
    languages=(("en", 0.8), ("he", 0.12), ("ru", 0.08)),
    interpreter_rate=0.3,
    hyphen_rate=0.03,
)

SOUTH_ASIAN = Heritage(
    key="south_asian",
    share=0.04,
    female=(
        "Priya", "Ananya", "Aishwarya", "Deepika", "Kavya", "Lakshmi", "Meera", "Nisha",
        "Pooja", "Sunita", "Shreya", "Divya", "Fatema", "Nasrin", "Farzana", "Ayesha",
        "Sadia", "Rukhsana", "Parveen", "Harpreet", "Simran", "Jaspreet", "Anjali", "Sita",
        "Gita", "Sangita", "Tahmina", "Rupa", "Kamala", "Bhagwati",
    ),
    male=(
        "Arjun", "Rahul", "Vikram", "Sanjay", "Rajesh", "Amit", "Ravi", "Suresh", "Anil",
        "Arun", "Vijay", "Imran", "Rashid", "Tanvir", "Farhan", "Kamal", "Rafiq", "Harjit",
        "Sandeep", "Hari", "Bishnu", "Prakash", "Ramesh", "Krishna", "Aditya", "Rohan",
        "Karan", "Nikhil", "Mohammad", "Shahid",
    ),
    neutral=("Gurpreet", "Manpreet", "Jaspal", "Kiran"),
    family=(
        "Patel", "Sharma", "Singh", "Kaur", "Gupta", "Kumar", "Reddy", "Rao", "Iyer", "Nair",
        "Menon", "Chowdhury", "Rahman", "Hossain", "Islam", "Khan", "Ahmed", "Siddiqui",
        "Qureshi", "Malik", "Chaudhry", "Desai", "Shah", "Mehta", "Joshi", "Banerjee",
        "Chatterjee", "Mukherjee", "Das", "Bhattarai", "Shrestha", "Gurung", "Tamang",
        "Thapa", "Adhikari", "Pillai", "Krishnan", "Subramanian", "Bose", "Ghosh", "Sandhu",
        "Gill", "Dhillon", "Grewal", "Venkataraman",
    ),
    languages=(("en", 0.55), ("hi", 0.15), ("bn", 0.12), ("ur", 0.1), ("ne", 0.08)),
    interpreter_rate=0.45,
    hyphen_rate=0.01,
)

CHINESE = Heritage(
    key="chinese",
    share=0.03,
    female=(
        "Jing", "Li", "Hui", "Yan", "Xiaoling", "Fang", "Xin", "Mei", "Ling", "Lan", "Ying",
        "Xiaomei", "Yuxin", "Zihan", "Shu", "Ping", "Hong", "Xiu Ying", "Wing Yan", "Ka Yan",
        "Mei Ling", "Siu Fong",
    ),
    male=(
        "Wei", "Ming", "Jun", "Lei", "Hao", "Qiang", "Jian", "Zhiwei", "Xiaoming", "Yifan",
        "Yuxuan", "Haoran", "Bo", "Tao", "Gang", "Jie", "Kwok Wai", "Siu Ming", "Chi Keung",
        "Wing Kei", "Zhang Wei",
    ),
    neutral=("Yu", "Xin", "Yi", "Wen", "An"),
    family=(
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
        "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Zheng", "Liang", "Xie",
        "Tang", "Song", "Chan", "Wong", "Cheung", "Leung", "Lau", "Ng", "Chow", "Lam", "Ho",
        "Yip", "Tsang", "Kwan", "Fong", "Chu", "Lü", "Ouyang", "Situ",
    ),
    languages=(("zh", 0.5), ("yue", 0.2), ("en", 0.3)),
    interpreter_rate=0.65,
    hyphen_rate=0.0,
    chosen_name_rate=0.3,
    chosen_names=("David", "Kevin", "Jenny", "Amy", "Vivian", "Tony", "Grace", "Eric",
                  "Helen", "Michael", "Annie", "Jason", "Cindy", "Peter"),
)

VIETNAMESE = Heritage(
    key="vietnamese",
    share=0.025,
    female=(
        "Thị Lan", "Thị Hoa", "Minh Anh", "Thu Hà", "Ngọc Ánh", "Thanh Tâm", "Hải Yến",
        "Kim Ngân", "Linh", "Phương", "Hương", "Thảo", "Trang", "Tuyết", "Bích", "Hạnh",
        "Thủy", "Vy", "Thị Mai", "Ngọc Hân", "Diệu Linh", "Như Quỳnh",
    ),
    male=(
        "Văn Minh", "Văn Hùng", "Quốc Bảo", "Đức Anh", "Hoàng Long", "Tuấn", "Dũng", "Khoa",
        "Nam", "Huy", "Quang", "Hiếu", "Văn Thành", "Minh Khôi", "Gia Huy", "Trọng Nghĩa",
        "Thanh Sơn", "Bảo", "Phúc", "Đạt",
    ),
    neutral=("Minh", "An", "Thanh", "Ngọc"),
    family=(
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
        "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lâm", "Mai", "Tạ",
        "Cao", "Châu", "Quách", "Lưu", "Tôn Nữ",
    ),
    languages=(("vi", 0.6), ("en", 0.4)),
    interpreter_rate=0.6,
    hyphen_rate=0.0,
    chosen_name_rate=0.25,
    chosen_names=("Kevin", "Tina", "Jenny", "Tony", "Vivian", "Peter", "Lisa", "Danny",
                  "Nancy", "Henry", "Kathy", "Jimmy"),
)

KOREAN = Heritage(
    key="korean",
    share=0.015,
    female=(
        "Seo-yeon", "Ha-eun", "Soo-ah", "Ye-jin", "Eun-ji", "Young-hee", "Min-seo", "Yu-na",
        "Hye-jin", "Sun-hee", "Mi-ok", "Ŭn-ju", "Ji-yeon", "Soo-jin", "Jung-ah",
    ),
    male=(
        "Min-jun", "Do-yun", "Ji-ho", "Hyun-woo", "Jae-won", "Sung-min", "Chul-soo",
        "Ji-hoon", "Dong-hyun", "Kyung-soo", "Sang-woo", "Tae-yang", "Seung-ho", "Kŏn-u",
    ),
    neutral=("Ji-woo", "Jin", "Yoon", "Hyun"),
    family=(
        "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han",
        "Oh", "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong", "Chŏng", "Paek",
        "Namgoong", "Sŏ",
    ),
    languages=(("ko", 0.55), ("en", 0.45)),
    interpreter_rate=0.55,
    hyphen_rate=0.0,
    chosen_name_rate=0.25,
    chosen_names=("Grace", "Daniel", "Esther", "Paul", "Joseph", "Sarah", "John", "Jenny",
                  "Sam", "Christine"),
)

FILIPINO = Heritage(
    key="filipino",
    share=0.025,
    female=(
        "Maria Cristina", "Rosario", "Jocelyn", "Marites", "Jonalyn", "Mary Grace",
        "Ligaya", "Dalisay", "Angelica", "Rhea", "Kristine", "Lorna", "Rowena", "Perla",
        "Imelda", "Analyn", "Honeylyn", "Jovelyn", "Ma. Teresa", "Liezl", "Maricel",
    ),
    male=(
        "Jose", "Juan Carlos", "Jericho", "Rodel", "Arnel", "Bayani", "Mark Anthony",
        "John Paul", "Edgardo", "Rogelio", "Danilo", "Reynaldo", "Ferdinand", "Romeo",
        "Jun-Jun", "Bienvenido", "Efren", "Manuel",
    ),
    neutral=("Jun", "Bong", "Lee", "Rey"),
    family=(
        "Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres",
        "Tomas", "Andrada", "Castillo", "Flores", "Villanueva", "Ramos", "Castro", "Rivera",
        "Aquino", "Navarro", "Salazar", "Mercado", "Dela Cruz", "De Leon", "Del Rosario",
        "Macaraeg", "Dimaculangan", "Magsaysay", "Pangilinan", "Lacson", "Manalo",
        "Tolentino", "Soriano", "Dizon", "Panganiban", "Sison", "Mañalac", "Buenaventura",
    ),
    languages=(("en", 0.6), ("tl", 0.4)),
    interpreter_rate=0.3,
    hyphen_rate=0.01,
)

POLISH = Heritage(
    key="polish",
    share=0.012,
    female=(
        "Agnieszka", "Małgorzata", "Katarzyna", "Zofia", "Joanna", "Magdalena", "Ewa",
        "Dorota", "Beata", "Barbara", "Anna", "Grażyna", "Jadwiga", "Bożena", "Aleksandra",
    ),
    male=(
        "Łukasz", "Michał", "Paweł", "Krzysztof", "Piotr", "Tomasz", "Wojciech",
        "Grzegorz", "Jakub", "Mateusz", "Jan", "Stanisław", "Zbigniew", "Jerzy", "Przemysław",
    ),
    family=(
        "Kowalski/Kowalska", "Nowak", "Wiśniewski/Wiśniewska", "Wójcik", "Kowalczyk",
        "Kamiński/Kamińska", "Lewandowski/Lewandowska", "Zieliński/Zielińska",
        "Szymański/Szymańska", "Woźniak", "Dąbrowski/Dąbrowska", "Kozłowski/Kozłowska",
        "Jankowski/Jankowska", "Mazur", "Krawczyk", "Piotrowski/Piotrowska",
        "Grabowski/Grabowska", "Pawłowski/Pawłowska", "Michalski/Michalska", "Wróbel",
        "Król", "Zając", "Górski/Górska", "Sikora", "Walczak", "Baran", "Błaszczyk",
        "Brzęczyszczykiewicz",
    ),
    languages=(("en", 0.55), ("pl", 0.45)),
    interpreter_rate=0.45,
    hyphen_rate=0.03,
)

UKRAINIAN = Heritage(
    key="ukrainian",
    share=0.012,
    female=(
        "Olena", "Oksana", "Nataliia", "Iryna", "Yuliia", "Tetiana", "Halyna", "Svitlana",
        "Liudmyla", "Kateryna", "Mariia", "Viktoriia", "Solomiia", "Olha",
    ),
    male=(
        "Oleksandr", "Andrii", "Serhii", "Dmytro", "Mykola", "Volodymyr", "Yurii", "Taras",
        "Bohdan", "Oleh", "Vasyl", "Ihor", "Maksym", "Petro",
    ),
    family=(
        "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk",
        "Boyko", "Kovalchuk", "Oliinyk", "Lysenko", "Marchenko", "Savchenko", "Rudenko",
        "Moroz", "Petrenko", "Kushnir", "Hnatiuk", "Tkachuk", "Polishchuk", "Koval",
        "Horbunov/Horbunova", "Zhuk", "Yaremchuk", "Fedorenko", "Pavlenko", "Kostiuk",
        "Ivanyshyn", "Hrytsenko", "Kyrylenko", "Ševčenko",
    ),
    languages=(("uk", 0.55), ("en", 0.3), ("ru", 0.15)),
    interpreter_rate=0.6,
    hyphen_rate=0.0,
)

RUSSIAN = Heritage(
    key="russian",
    share=0.01,
    female=("Natalya", "Svetlana", "Tatiana", "Yekaterina", "Anastasia", "Olga", "Irina",
            "Yelena", "Lyudmila", "Galina", "Darya"),
    male=("Sergei", "Alexei", "Dmitri", "Vladimir", "Nikolai", "Mikhail", "Ivan",
          "Yevgeny", "Andrei", "Pavel", "Boris"),
    family=(
        "Ivanov/Ivanova", "Smirnov/Smirnova", "Kuznetsov/Kuznetsova", "Popov/Popova",
        "Sokolov/Sokolova", "Lebedev/Lebedeva", "Kozlov/Kozlova", "Novikov/Novikova",
        "Morozov/Morozova", "Volkov/Volkova", "Pavlov/Pavlova", "Semenov/Semenova",
        "Vasiliev/Vasilieva", "Fyodorov/Fyodorova",
    ),
    languages=(("ru", 0.55), ("en", 0.45)),
    interpreter_rate=0.5,
    hyphen_rate=0.0,
)

NATIVE_AMERICAN = Heritage(
    key="native_american",
    share=0.015,
    female=(
        "Shirley", "Darlene", "Jolene", "Raylene", "Rosalind", "Winona", "Nizhoni",
        "Shandiin", "Dezbah", "Tahnee", "Autumn", "Dawn", "Loretta", "Marlene", "Cheyenne",
        "Charlene", "Bernadine", "Kateri",
    ),
    male=(
        "Marvin", "Leroy", "Brandon", "Tyler", "Delbert", "Vernon", "Ahiga", "Wayne",
        "Dale", "Raymond", "Elvis", "Clifford", "Dakota", "Kenneth", "Lorenzo", "Virgil",
    ),
    neutral=("Sky", "Dakota", "Sage", "Kai"),
    family=(
        "Begay", "Yazzie", "Benally", "Tsosie", "Nez", "Etsitty", "Manuelito", "Tso",
        "Bitsui", "Harjo", "Two Bulls", "Red Cloud", "Iron Shell", "Black Elk",
        "Yellow Horse", "Spotted Elk", "Little Thunder", "White Eagle", "Standing Bear",
        "Kingbird", "Morningstar", "Cornsilk", "Sixkiller", "Swimmer", "Lossiah",
        "Whitehorse", "Silversmith", "Chee", "Begaye", "Skenandore", "Lente", "Tohee",
    ),
    languages=(("en", 0.93), ("nv", 0.07)),
    interpreter_rate=0.3,
    hyphen_rate=0.02,
    two_spirit_rate=0.3,
)

IRISH = Heritage(
    key="irish",
    share=0.04,
    female=(
        "Siobhán", "Aoife", "Niamh", "Caoimhe", "Saoirse", "Róisín", "Ciara", "Orla",
        "Bridget", "Maeve", "Eileen", "Sinéad", "Mairéad", "Fiona", "Kathleen", "Nora",
        "Deirdre", "Úna", "Aisling",
    ),
    male=(
        "Seán", "Ciarán", "Pádraig", "Liam", "Declan", "Eoin", "Cormac", "Niall",
        "Diarmuid", "Oisín", "Colm", "Brendan", "Kieran", "Patrick", "Dermot", "Fergus",
        "Conor", "Cathal", "Tadhg",
    ),
    family=(
        "O'Brien", "O'Connor", "O'Sullivan", "O'Neill", "O'Reilly", "O'Donnell", "O'Malley",
        "O'Keeffe", "Ó Súilleabháin", "Ó Briain", "Murphy", "Kelly", "Walsh", "Byrne",
        "Ryan", "McCarthy", "Doyle", "Gallagher", "Kennedy", "Lynch", "Murray", "Quinn",
        "McLaughlin", "Carroll", "Connolly", "Daly", "Brennan", "Fitzgerald", "MacNamara",
        "Mac Cárthaigh", "McGuinness", "Ní Bhriain", "D'Arcy", "Ó Conchúir",
    ),
    languages=(("en", 1.0),),
    hyphen_rate=0.03,
)

HAITIAN = Heritage(
    key="haitian",
    share=0.015,
    female=(
        "Marie-Claire", "Nadège", "Fabienne", "Widline", "Mirlande", "Roseline", "Guerline",
        "Nathalie", "Yveline", "Lovely", "Bethanie", "Darline", "Marie-Ange", "Ketly",
    ),
    male=(
        "Jean-Pierre", "Wilner", "Jean-Claude", "Frantz", "Wilfrid", "Pierre", "Emmanuel",
        "Ernst", "Stanley", "Jude", "Fritznel", "Kervens", "Wisly", "Jean-Robert",
    ),
    family=(
        "Jean-Baptiste", "Pierre", "Joseph", "Jean-Louis", "Louis", "Charles", "Désir",
        "Toussaint", "Dorvil", "Étienne", "Célestin", "Augustin", "Lafortune", "Saint-Fleur",
        "Saint-Louis", "Michel", "Noël", "Beauvais", "Dorsainvil", "Févry", "Jeune",
        "Fils-Aimé", "Valcourt", "Exantus",
    ),
    languages=(("ht", 0.5), ("fr", 0.1), ("en", 0.4)),
    interpreter_rate=0.55,
    hyphen_rate=0.0,
)

SOUTHEAST_ASIAN = Heritage(
    key="southeast_asian",
    share=0.015,
    female=(
        "Mai", "Mai Yer", "Nou", "Pa Houa", "Kia", "Pang", "Xee", "Sophea", "Bopha",
        "Sreymom", "Chanthou", "Pisey", "Thandar", "Ei Ei", "Hnin", "Naw Mu",
    ),
    male=(
        "Tou", "Fue", "Chue", "Koua", "Neng", "Yia", "Dara", "Sovann", "Rithy", "Vanna",
        "Aung", "Kyaw", "Zaw", "Htoo", "Saw Eh",
    ),
    neutral=("Bao", "Sokha", "Moe"),
    family=(
        "Vang", "Xiong", "Yang", "Lee", "Thao", "Her", "Lor", "Moua", "Vue", "Hang", "Kha",
        "Khang", "Chang", "Cha", "Lo", "Chea", "Sok", "Heng", "Keo", "Meas", "Pich", "Prak",
        "Win", "Htun", "Oo", "Myint", "Thein", "Lwin",
    ),
    languages=(("hmn", 0.35), ("km", 0.2), ("my", 0.15), ("en", 0.3)),
    interpreter_rate=0.6,
    hyphen_rate=0.0,
)

PERSIAN_AFGHAN = Heritage(
    key="persian_afghan",
    share=0.012,
    female=(
        "Parisa", "Shirin", "Laleh", "Mahsa", "Nasrin", "Roya", "Zahra", "Fereshteh",
        "Maryam", "Habiba", "Nilofar", "Freshta", "Gulalai", "Malalai", "Sima",
    ),
    male=(
        "Mohammad", "Ahmad", "Farid", "Mahmoud", "Wahid", "Zabihullah", "Hamid", "Reza",
        "Dariush", "Arash", "Kaveh", "Sohrab", "Naveed", "Jawad", "Esmatullah",
    ),
    family=(
        "Ahmadi", "Rahimi", "Mohammadi", "Hosseini", "Karimi", "Rezaei", "Hashemi", "Sadat",
        "Noori", "Popal", "Stanikzai", "Wardak", "Safi", "Amiri", "Jafari", "Farahani",
        "Tehrani", "Kazemi", "Yousufzai", "Haidari", "Azizi", "Sharifi",
    ),
    languages=(("fa", 0.45), ("ps", 0.25), ("en", 0.3)),
    interpreter_rate=0.65,
    hyphen_rate=0.0,
)

LUSOPHONE = Heritage(
    key="lusophone",
    share=0.01,
    female=("Luíza", "Ana Clara", "Beatriz", "Conceição", "Vitória", "Letícia", "Fernanda",
            "Gabriela", "Juliana", "Lúcia", "Raquel"),
    male=("João", "Thiago", "Gabriel", "Gonçalo", "Rafael", "Leonardo", "Felipe", "Vinícius",
          "Rodrigo", "Antônio", "Sebastião"),
    family=(
        "Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida",
        "Nascimento", "Lima", "Araújo", "Ferreira", "Carvalho", "Gonçalves", "Magalhães",
        "da Silva", "dos Santos", "Conceição", "Barbosa", "Ribeiro",
    ),
    languages=(("pt", 0.6), ("en", 0.4)),
    interpreter_rate=0.5,
    second_family_rate=0.3,
    hyphen_rate=0.0,
)

JAPANESE = Heritage(
    key="japanese",
    share=0.006,
    female=("Yuki", "Sakura", "Aiko", "Yumi", "Emiko", "Naoko", "Haruka", "Keiko", "Yōko"),
    male=("Haruto", "Hiroshi", "Kenji", "Takeshi", "Kazuo", "Sōta", "Ren", "Daisuke",
          "Shōhei"),
    family=(
        "Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto", "Nakamura",
        "Kobayashi", "Katō", "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue", "Kimura",
        "Hayashi", "Shimizu", "Ōta",
    ),
    languages=(("en", 0.7), ("ja", 0.3)),
    interpreter_rate=0.4,
    hyphen_rate=0.0,
)

HERITAGES: tuple[Heritage, ...] = (
    GENERAL_AMERICAN, AFRICAN_AMERICAN, HISPANIC, WEST_AFRICAN, EAST_AFRICAN, ARAB, JEWISH,
    SOUTH_ASIAN, CHINESE, VIETNAMESE, KOREAN, FILIPINO, POLISH, UKRAINIAN, RUSSIAN,
    NATIVE_AMERICAN, IRISH, HAITIAN, SOUTHEAST_ASIAN, PERSIAN_AFGHAN, LUSOPHONE, JAPANESE,
)


PRONOUNS: tuple[tuple[str, float], ...] = (
    ("she/her", 0.45), ("he/him", 0.43), ("they/them", 0.05), ("she/they", 0.02),
    ("he/they", 0.015), ("ze/zir", 0.005), ("xe/xem", 0.005), ("any pronouns", 0.005),
    ("name only, no pronouns", 0.005),
)

# Gender identity is recorded only when the person shares it, in their own words.
GENDER_IDENTITIES: tuple[tuple[str, str, float], ...] = (
    # (gender identity, pronouns that usually go with it, weight)
    ("Woman", "she/her", 0.30), ("Man", "he/him", 0.30),
    ("Non-binary", "they/them", 0.12), ("Transgender woman", "she/her", 0.07),
    ("Transgender man", "he/him", 0.07), ("Genderqueer", "they/them", 0.04),
    ("Genderfluid", "she/they", 0.03), ("Agender", "they/them", 0.02),
    ("Questioning", "", 0.02), ("Woman of trans experience", "she/her", 0.02),
    ("Prefer to describe myself as just me", "", 0.01),
)

SEXES: tuple[tuple[str, float], ...] = (
    ("female", 0.505), ("male", 0.47), ("intersex", 0.002), ("unknown", 0.008),
    ("declined", 0.01), ("", 0.005),
)

# (youngest, oldest, weight): age bands of people served, children through elders.
AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (0, 4, 0.04), (5, 12, 0.06), (13, 17, 0.05), (18, 24, 0.10), (25, 34, 0.17),
    (35, 44, 0.16), (45, 54, 0.14), (55, 64, 0.13), (65, 74, 0.09), (75, 84, 0.045),
    (85, 102, 0.015),
)

# fmt: on

LANGUAGE_CODES: frozenset[str] = frozenset(
    code for heritage in HERITAGES for code, _ in heritage.languages
) | {"ase"}


class Identity(TypedDict):
    heritage: str
    legal_given_name: str
    legal_family_name: str
    preferred_name: str
    pronouns: str
    sex: str
    gender_identity: str
    date_of_birth: dt.date
    # (BCP 47 tag, interpreter needed); the first is the preferred language.
    languages: list[tuple[str, bool]]


def _zipf_cumulative(count: int, exponent: float = 0.8, offset: float = 3.0) -> list[float]:
    return list(accumulate(1.0 / (rank + offset) ** exponent for rank in range(count)))


_CUMULATIVE: dict[int, list[float]] = {}


def _draw(rng: random.Random, population: Sequence[T], cumulative: list[float]) -> T:
    """What `rng.choices(population, cum_weights=cumulative)[0]` does, without its overhead."""
    at = rng.random() * cumulative[-1]
    return population[bisect_right(cumulative, at, 0, len(cumulative) - 1)]


def _pick(rng: random.Random, pool: tuple[str, ...]) -> str:
    """A name from a pool listed most common first, with a long tail."""
    cumulative = _CUMULATIVE.get(len(pool))
    if cumulative is None:
        cumulative = _CUMULATIVE.setdefault(len(pool), _zipf_cumulative(len(pool)))
    return _draw(rng, pool, cumulative)


_WEIGHTED: dict[tuple[tuple[str, float], ...], tuple[list[str], list[float]]] = {}


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    cached = _WEIGHTED.get(options)
    if cached is None:
        cached = ([o for o, _ in options], list(accumulate(w for _, w in options)))
        _WEIGHTED[options] = cached
    return _draw(rng, cached[0], cached[1])


_HERITAGE_CUMULATIVE = list(accumulate(h.share for h in HERITAGES))


def random_heritage(rng: random.Random) -> Heritage:
    return _draw(rng, HERITAGES, _HERITAGE_CUMULATIVE)


def _family_form(name: str, feminine: bool) -> str:
    masculine_form, _, feminine_form = name.partition("/")
    return feminine_form if feminine and feminine_form else masculine_form


def random_family_name(rng: random.Random, heritage: Heritage, *, feminine: bool = False) -> str:
    first = _family_form(_pick(rng, heritage.family), feminine)
    roll = rng.random()
    if roll < heritage.second_family_rate:
        second = _family_form(_pick(rng, heritage.family), feminine)
        return first if second == first else f"{first} {second}"
    if roll < heritage.second_family_rate + heritage.hyphen_rate:
        other = random_heritage(rng) if rng.random() < 0.5 else heritage
        second = _family_form(_pick(rng, other.family), feminine)
        return first if second == first else f"{first}-{second}"
    return first


def random_given_name(rng: random.Random, heritage: Heritage, sex: str) -> str:
    if heritage.neutral and rng.random() < 0.06:
        return _pick(rng, heritage.neutral)
    if sex == "female" or (sex not in ("male", "female") and rng.random() < 0.5):
        return _pick(rng, heritage.female)
    return _pick(rng, heritage.male)


_AGE_CUMULATIVE = list(accumulate(w for *_, w in AGE_BANDS))


def random_date_of_birth(rng: random.Random, today: dt.date = REFERENCE_DATE) -> dt.date:
    youngest, oldest, _ = _draw(rng, AGE_BANDS, _AGE_CUMULATIVE)
    days = rng.randint(youngest * 365 + 1, oldest * 365 + 364)
    return today - dt.timedelta(days=days)


def random_languages(rng: random.Random, heritage: Heritage) -> list[tuple[str, bool]]:
    """Languages with the preferred first, each with whether an interpreter is needed."""
    if rng.random() < 0.003:
        return [("ase", True), ("en", False)]
    preferred = _weighted(rng, heritage.languages)
    if preferred == "en":
        others = [code for code, _ in heritage.languages if code != "en"]
        if others and rng.random() < 0.3:
            return [("en", False), (rng.choice(others), False)]
        return [("en", False)]
    languages = [(preferred, rng.random() < heritage.interpreter_rate)]
    if rng.random() < 0.55:
        languages.append(("en", False))
    return languages


def _gender(rng: random.Random, heritage: Heritage, sex: str) -> tuple[str, str]:
    """(gender identity, pronouns), both often left blank as most records leave them."""
    roll = rng.random()
    if roll < 0.035:  # trans, non-binary, Two-Spirit and others who share it
        if rng.random() < heritage.two_spirit_rate:
            return "Two-Spirit", _weighted(rng, (("they/them", 1), ("he/him", 1), ("she/her", 1)))
        identities = GENDER_IDENTITIES[2:]
        identity, pronouns, _ = rng.choices(identities, weights=[w for *_, w in identities])[0]
        return identity, pronouns
    if roll < 0.08:
        cis = {"female": ("Woman", "she/her"), "male": ("Man", "he/him")}
        if sex in cis:
            return cis[sex]
    if rng.random() < 0.22:
        return "", ""  # not asked yet, or the person preferred not to say
    if sex == "female":
        return "", "she/her"
    if sex == "male":
        return "", "he/him"
    return "", _weighted(rng, PRONOUNS)


def _preferred_name(rng: random.Random, heritage: Heritage, given: str, identity: str) -> str:
    if identity.startswith("Transgender") or identity == "Woman of trans experience":
        pool = heritage.female if "woman" in identity.lower() else heritage.male
        chosen = _pick(rng, pool)
        return chosen if chosen != given else ""
    if identity in ("Non-binary", "Genderqueer", "Agender") and rng.random() < 0.4:
        return _pick(rng, heritage.neutral or GENERAL_AMERICAN.neutral)
    if heritage.chosen_names and rng.random() < heritage.chosen_name_rate:
        return rng.choice(heritage.chosen_names)
    nicknames = NICKNAMES.get(given)
    if nicknames and rng.random() < 0.35:
        return rng.choice(nicknames)
    return ""


_SCRIPT: dict[str, dict[str, str]] = {h.key: dict(h.script) for h in HERITAGES if h.script}


def _in_script(heritage: Heritage, latin: str) -> str | None:
    return _SCRIPT.get(heritage.key, {}).get(latin)


def random_identity(rng: random.Random, *, today: dt.date = REFERENCE_DATE) -> Identity:
    """One person's identity. The same rng state always gives the same identity."""
    heritage = random_heritage(rng)
    sex = _weighted(rng, SEXES)
    given = random_given_name(rng, heritage, sex)
    feminine = sex == "female"
    family = random_family_name(rng, heritage, feminine=feminine)
    gender_identity, pronouns = _gender(rng, heritage, sex)
    preferred = _preferred_name(rng, heritage, given, gender_identity)
    if heritage.script and rng.random() < heritage.script_rate:
        # Legal name as written in the person's own script; the everyday name in Latin
        # letters so that colleagues can find and address them.
        given_script, family_script = _in_script(heritage, given), _in_script(heritage, family)
        if given_script and family_script:
            preferred = preferred or given
            given, family = given_script, family_script
    return Identity(
        heritage=heritage.key,
        legal_given_name=given,
        legal_family_name=family,
        preferred_name=preferred,
        pronouns=pronouns,
        sex=sex,
        gender_identity=gender_identity,
        date_of_birth=random_date_of_birth(rng, today),
        languages=random_languages(rng, heritage),
    )


def random_full_name(rng: random.Random) -> str:
    """A given and family name, e.g. for a support contact or a staff member."""
    heritage = random_heritage(rng)
    sex = rng.choice(("female", "male"))
    given = random_given_name(rng, heritage, sex)
    return f"{given} {random_family_name(rng, heritage, feminine=sex == 'female')}"


# Area codes across the United States (all assigned, so numbers pass validation).
AREA_CODES: tuple[str, ...] = (
    "212",
    "347",
    "718",
    "646",
    "917",
    "201",
    "973",
    "914",
    "516",
    "617",
    "857",
    "215",
    "267",
    "412",
    "202",
    "301",
    "410",
    "804",
    "919",
    "704",
    "404",
    "678",
    "305",
    "786",
    "407",
    "813",
    "615",
    "901",
    "502",
    "513",
    "614",
    "216",
    "313",
    "312",
    "773",
    "414",
    "612",
    "651",
    "314",
    "816",
    "504",
    "713",
    "832",
    "214",
    "469",
    "512",
    "210",
    "405",
    "505",
    "602",
    "480",
    "702",
    "801",
    "303",
    "720",
    "206",
    "253",
    "503",
    "971",
    "916",
    "415",
    "510",
    "408",
    "213",
    "323",
    "818",
    "619",
    "808",
    "907",
    "208",
    "406",
    "307",
    "701",
    "605",
    "402",
    "515",
    "319",
    "608",
    "207",
    "802",
    "603",
    "401",
    "860",
    "302",
)
PHONE_STYLES: tuple[str, ...] = (
    "({a}) {e}-{s}",
    "{a}-{e}-{s}",
    "{a}.{e}.{s}",
    "+1 {a} {e} {s}",
    "1-{a}-{e}-{s}",
    "{a}{e}{s}",
)


def random_phone(rng: random.Random) -> tuple[str, str]:
    """A US phone number as someone might type it, and its E.164 form.

    Exchanges avoid N11 codes and 555, and the number avoids 555-01XX fiction numbers.
    """
    area = rng.choice(AREA_CODES)
    while True:
        exchange = f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}"
        if exchange[1:] != "11" and exchange != "555":
            break
    subscriber = f"{rng.randint(0, 9999):04d}"
    typed = rng.choice(PHONE_STYLES).format(a=area, e=exchange, s=subscriber)
    return typed, f"+1{area}{exchange}{subscriber}"
