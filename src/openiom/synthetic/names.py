"""Names, places and the small ways records of one person differ between agencies.

All fictional: the borough "Riverside", its wards and the "RV" postcode area (not a real UK
postcode area). Name lists are common names of the communities of an outer London borough,
grouped so that a person's given and family names fit together and fit their recorded
ethnicity (ONS 2021 five groups).
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class NameGroup:
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]


# fmt: off
GROUPS: dict[str, NameGroup] = {
    "british": NameGroup(
        _words("James Jack Thomas Daniel Ryan Lewis Callum Connor Jordan Liam Michael David Christopher Matthew "
               "Andrew Robert William Joseph Samuel Benjamin Alexander Luke Nathan Kieran Jake Scott Dean Lee Craig "
               "Darren Jamie Charlie George Harry Reece Bradley Ashley Stephen Anthony Nicholas Richard Edward "
               "Jonathan Steven Mark Paul Gary Wayne Shane Tyler Kyle Aaron"),
        _words("Sarah Emma Laura Jessica Rebecca Charlotte Amy Hannah Lauren Chloe Sophie Danielle Stacey Kelly "
               "Leanne Gemma Jade Megan Elizabeth Katherine Victoria Samantha Nicola Natasha Kimberley Jennifer "
               "Abigail Margaret Susan Deborah Patricia Tracey Michelle Zoe Ellie Amber Paige Courtney"),
        _words("Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson "
               "Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin "
               "Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips "
               "Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey "
               "Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Wilkinson "
               "Foster Chapman Mason Webb Rogers Gray Hunt Palmer Holmes Mills Barnes Knight Lloyd Butler Russell "
               "Barker Fisher Stevens Jenkins Dixon Fletcher Howard Pearson Sutton Fox Gibson Ashworth Smith-Jones"),
    ),
    "irish": NameGroup(
        _words("Sean Patrick Ciaran Declan Conor Eoin Niall Padraig Darragh Cian Kevin Brendan Michael John"),
        _words("Siobhan Aoife Niamh Ciara Sinead Roisin Orla Mary Bridget Catherine Eileen Clodagh"),
        _words("Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle McCarthy "
               "Gallagher Doherty Kennedy Lynch Murray Quinn Moore McLoughlin Brennan Fitzgerald Flanagan Keane"),
    ),
    "eastern_european": NameGroup(
        _words("Piotr Tomasz Krzysztof Łukasz Marcin Pawel Adrian Andrei Ionut Mihai Florin Bogdan Darius "
               "Mindaugas Tomas Jonas Vasile Alexandru Dmytro Oleksandr Aleksander Jakub Kamil Marius"),
        _words("Anna Katarzyna Agnieszka Magdalena Joanna Monika Ioana Elena Andreea Alina Ruta Egle Oksana "
               "Natalia Iryna Maria Gabriela Daria Aleksandra"),
        _words("Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Popescu "
               "Ionescu Popa Dumitru Stan Constantin Kazlauskas Jankauskas Petrauskas Shevchenko Kovalenko Bondarenko "
               "Horvath Novak Dvorak Petrov Ivanov Nagy"),
    ),
    "southern_european": NameGroup(
        _words("Joao Pedro Tiago Rui Luis Marco Luca Giuseppe Francesco Alessandro Antonio Jose Carlos Miguel "
               "Dimitris Giorgos Nikos Andreas"),
        _words("Ana Beatriz Ines Sofia Giulia Francesca Chiara Maria Carmen Lucia Eleni Katerina"),
        _words("Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Rossi Russo Ferrari Esposito Romano "
               "Garcia Fernandez Lopez Martinez Papadopoulos Georgiou Christodoulou Constantinou"),
    ),
    "indian": NameGroup(
        _words("Rahul Amit Vikram Arjun Rohan Sanjay Raj Ravi Deepak Harpreet Gurpreet Jaswinder Manpreet "
               "Sandeep Kiran Nikhil Anil Suresh Vijay Karan Aarav Dev Jatinder Sunil"),
        _words("Priya Anjali Pooja Neha Sunita Kavita Deepa Meera Simran Harjit Manjit Rupinder Asha Nisha "
               "Divya Anita Reena Jaspreet Kiran Sonia"),
        _words("Patel Shah Sharma Singh Kaur Gill Sandhu Dhillon Sidhu Kumar Mistry Parmar Chauhan Joshi "
               "Mehta Desai Gupta Verma Thakkar Bhatt Rana Malhotra Kapoor Grewal Bains Virdee Lakhani Solanki"),
    ),
    "pakistani": NameGroup(
        _words("Mohammed Muhammad Ahmed Ali Hassan Hussain Imran Bilal Usman Adeel Asif Kamran Zeeshan Faisal "
               "Tariq Amir Omar Haroon Shahid Waqas Umar Zain Hamza Yasir"),
        _words("Fatima Ayesha Sana Saima Nadia Amina Zainab Mariam Hina Rabia Sadia Bushra Nazia Samina Iqra "
               "Noor Saira Shazia"),
        _words("Khan Hussain Ahmed Ali Akhtar Iqbal Mahmood Raza Butt Malik Qureshi Chaudhry Rehman Shah "
               "Aslam Bashir Rashid Javed Mirza Siddiqui Nawaz Anwar"),
    ),
    "bangladeshi": NameGroup(
        _words("Mohammed Abdul Rahman Shahid Jamal Rafiq Anwar Kamal Nazrul Shamim Rubel Sohel Tanvir Rashed "
               "Habib Ashraf Mizanur Faruk"),
        _words("Fatema Rumana Nasima Shirin Rokeya Taslima Nasrin Salma Hasina Sultana Jasmin Ruksana Farzana"),
        _words("Miah Begum Ahmed Uddin Islam Rahman Hoque Ali Chowdhury Khatun Hossain Alom Karim Sarkar Akter"),
    ),
    "tamil": NameGroup(
        _words("Suresh Kumaran Rajan Senthil Thanu Prakash Naveen Ganesh Mathan Dinesh Arun Vinoth"),
        _words("Lakshmi Tharsha Priya Vani Geetha Kavitha Nirosha Shanthi Mathumitha Abirami"),
        _words("Sivakumar Rajendran Selvarajah Thevarajah Balasubramaniam Nadarajah Jeyakumar Kandiah "
               "Pathmanathan Yogarajah Ratnam Sritharan"),
    ),
    "chinese": NameGroup(
        _words("Wei Jun Hao Ming Lei Jian Chen Kai Jason Kevin Tony Eric Yong Bo"),
        _words("Mei Ying Xin Li Hui Yan Jing Lin Fang Amy Grace Jenny Ling"),
        _words("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Lin Wong Chan Cheung Lau Ng Lam Leung"),
    ),
    "east_asian": NameGroup(
        _words("Minh Tuan Duc Hung Nam Jose Mark Joel Rommel Arnel Christian"),
        _words("Linh Huong Thao Lan Mai Maricel Joy Rosalie Jocelyn Kristine"),
        _words("Nguyen Tran Le Pham Hoang Vu Santos Reyes Cruz Bautista Mendoza Garcia Aquino"),
    ),
    "west_african": NameGroup(
        _words("Oluwaseun Adebayo Chinedu Emeka Tunde Femi Kwame Kofi Kwabena Yaw Samuel Daniel David Emmanuel "
               "Joseph Michael Ibrahim Abdul Segun Chukwuemeka Obinna Kelechi Babatunde Isaac Joshua Precious"),
        _words("Adaeze Chioma Ngozi Funmilayo Folake Abena Akosua Ama Efua Blessing Grace Joy Esther Ruth "
               "Deborah Mercy Favour Bukola Temitope Yetunde Comfort"),
        _words("Okafor Okoro Adeyemi Oladipo Adebayo Ogunleye Nwosu Eze Obi Okonkwo Mensah Asante Boateng "
               "Owusu Osei Appiah Agyeman Danso Bakare Adewale Ibrahim Akinola Ojo Balogun Afolabi Oyelaran"),
    ),
    "somali": NameGroup(
        _words("Mohamed Abdi Ahmed Abdullahi Hassan Ali Omar Yusuf Ibrahim Abdirahman Mahad Hamza Liban"),
        _words("Hodan Fadumo Amina Sahra Hawa Ayaan Ifrah Khadra Ubah Asha Nimco Ilhan"),
        _words("Mohamed Ahmed Hassan Abdi Ali Osman Farah Warsame Nur Hussein Jama Aden Yusuf Egal Ismail"),
    ),
    "caribbean": NameGroup(
        _words("Marcus Tyrone Jermaine Leon Dwayne Andre Delroy Winston Curtis Kemar Omari Kyle Jordan Tyler "
               "Nathaniel Isaiah Reuben Malachi Josiah Ashley Dean Darnell"),
        _words("Shanice Tiana Keisha Chantelle Simone Aaliyah Jasmine Monique Natalie Sharon Marcia Claudette "
               "Jade Tanisha Kezia Shantelle"),
        _words("Campbell Brown Williams Thomas Clarke Francis Grant Reid Morgan Stewart Bailey Richards Gordon "
               "Lewis Edwards Henry Samuels Walker Robinson Ellis Bennett Forbes Gayle Dacosta Henry Lindo"),
    ),
    "arabic": NameGroup(
        _words("Mohammed Ahmed Ali Omar Youssef Khalid Karim Hamza Tariq Said Mustafa Ibrahim Rami Sami Nabil "
               "Bilal Walid Amir Ayman Hussein"),
        _words("Fatima Mariam Layla Noor Aisha Yasmin Rania Hana Dina Salma Leila Zahra Samira"),
        _words("Al-Sayed Hassan Ibrahim Mahmoud Abdullah Haddad Khalil Saleh Nasser Mansour Aziz Farouk Rahim "
               "El-Amin Darwish Hamdan Qasim"),
    ),
    "turkish_kurdish": NameGroup(
        _words("Mehmet Mustafa Ahmet Ali Hasan Emre Murat Serkan Baran Azad Kemal Deniz Yusuf"),
        _words("Ayse Fatma Elif Zeynep Emine Derya Gul Rojda Berfin Sevgi"),
        _words("Yilmaz Kaya Demir Sahin Celik Yildiz Ozturk Aydin Arslan Dogan Polat Kurt Ozdemir"),
    ),
    "afghan_iranian": NameGroup(
        _words("Ahmad Mohammad Mahmoud Reza Ali Farid Jawad Hamid Navid Omid Sohrab Wahid"),
        _words("Maryam Zahra Fereshteh Shirin Parisa Nazanin Roya Fatemeh Soraya"),
        _words("Ahmadi Mohammadi Hosseini Karimi Rahimi Rezaei Hashemi Noori Popal Sultani Amiri Sadeghi"),
    ),
    "latin_american": NameGroup(
        _words("Juan Carlos Luis Jorge Diego Andres Felipe Santiago Javier Alejandro Mateo Sebastian Rafael"),
        _words("Maria Valentina Camila Daniela Gabriela Paula Carolina Andrea Luisa Natalia"),
        _words("Gonzalez Rodriguez Gomez Hernandez Lopez Diaz Ramirez Torres Vargas Castro Rojas Moreno Herrera"),
    ),
}
# fmt: on

# Ethnicity (ONS 2021 five groups) -> name groups for (given names, family names) with weights.
# Mixed: given names from one community, family names often from another.
ETHNIC_NAMES: dict[str, tuple[tuple[str, str, float], ...]] = {
    "W": (
        ("british", "british", 0.72),
        ("irish", "irish", 0.05),
        ("british", "irish", 0.03),
        ("eastern_european", "eastern_european", 0.13),
        ("southern_european", "southern_european", 0.07),
    ),
    "A": (
        ("indian", "indian", 0.38),
        ("pakistani", "pakistani", 0.25),
        ("bangladeshi", "bangladeshi", 0.14),
        ("tamil", "tamil", 0.08),
        ("chinese", "chinese", 0.10),
        ("east_asian", "east_asian", 0.05),
    ),
    "B": (("west_african", "west_african", 0.45), ("somali", "somali", 0.15), ("caribbean", "caribbean", 0.40)),
    "M": (
        ("british", "caribbean", 0.30),
        ("caribbean", "british", 0.25),
        ("british", "west_african", 0.15),
        ("british", "indian", 0.10),
        ("british", "british", 0.20),
    ),
    "O": (
        ("arabic", "arabic", 0.35),
        ("turkish_kurdish", "turkish_kurdish", 0.20),
        ("afghan_iranian", "afghan_iranian", 0.20),
        ("latin_american", "latin_american", 0.25),
    ),
}

# Short forms and spelling variants: the same person written differently by another agency.
_VARIANT_SETS = (
    "William Bill Will Billy Liam",
    "Robert Bob Rob Bobby",
    "Elizabeth Liz Beth Lizzie",
    "Mohammed Mohammad Muhammad Mohamed Mohamad Muhammed",
    "Ahmed Ahmad",
    "Yusuf Yousef Yousuf",
    "Michael Mike Mick",
    "James Jim Jimmy Jamie",
    "Thomas Tom Tommy",
    "Daniel Dan Danny",
    "Christopher Chris",
    "Anthony Tony Ant",
    "Joseph Joe Joey",
    "Jonathan Jon Jonny",
    "Matthew Matt",
    "Nicholas Nick Nicky",
    "Richard Rich Richie",
    "Edward Ed Eddie",
    "Samuel Sam Sammy",
    "Benjamin Ben",
    "Alexander Alex Alexandru Aleksander",
    "Andrew Andy Drew",
    "Stephen Steven Steve",
    "Jennifer Jenny Jen",
    "Katherine Kate Kathryn Catherine Cathy",
    "Margaret Maggie Peggy",
    "Rebecca Becky Becca",
    "Jessica Jess Jessie",
    "Victoria Vicky Tori",
    "Samantha Sam Sammie",
    "Abigail Abbie Abby",
    "Natasha Tasha",
    "Kimberley Kim Kimberly",
    "Deborah Debbie Debra",
    "Patricia Pat Trish",
    "Susan Sue Suzanne",
    "Nathaniel Nathan Nat",
    "Oluwaseun Seun",
    "Babatunde Tunde",
    "Chukwuemeka Emeka",
    "Abdirahman Abdi",
    "Fatima Fatema Fatma Fatimah",
    "Ayesha Aisha Aysha",
    "Mariam Maryam Miriam",
    "Hussain Hussein Husain",
    "Sean Shaun Shawn",
    "Lee Leigh",
    "Zoe Zoey",
    "Łukasz Lukasz",
    "Paweł Pawel",
    "Wiśniewski Wisniewski",
    "Wójcik Wojcik",
    "Kamiński Kaminski",
    "Zieliński Zielinski",
    "Szymański Szymanski",
    "Smith-Jones Smith",
    "Al-Sayed Alsayed Sayed",
    "El-Amin Elamin Amin",
    "O'Sullivan Sullivan OSullivan",
    "O'Brien OBrien Obrien",
    "O'Connor OConnor",
    "O'Neill ONeill O'Neil",
    "O'Reilly OReilly Reilly",
    "Chowdhury Choudhury Chaudhry",
    "Mohamed Mohammed",
)
VARIANTS: dict[str, tuple[str, ...]] = {}
for _line in _VARIANT_SETS:
    _names = _line.split()
    for _name in _names:
        VARIANTS[_name] = tuple(n for n in _names if n != _name)

_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(letter: str) -> str:
    for r, row in enumerate(_KEYBOARD):
        i = row.find(letter)
        if i >= 0:
            near = row[max(i - 1, 0) : i] + row[i + 1 : i + 2]
            for other in (r - 1, r + 1):
                if 0 <= other < len(_KEYBOARD):
                    near += _KEYBOARD[other][max(i - 1, 0) : i + 1]
            return near
    return "aeiou"


NEIGHBOURS = {c: _neighbours(c) for c in "abcdefghijklmnopqrstuvwxyz"}


def typo(rng: random.Random, name: str) -> str:
    """One keying slip: a neighbouring key, a letter dropped, doubled or two letters swapped.

    The first letter is kept (people read it back), so the result is never empty and never
    starts with a character a spreadsheet would take for a formula.
    """
    if len(name) < 3:
        return name + name[-1]
    i = rng.randrange(1, len(name))
    kind = rng.random()
    c = name[i]
    if kind < 0.4 and c.isalpha() and c.lower() in NEIGHBOURS:
        return name[:i] + rng.choice(NEIGHBOURS[c.lower()]) + name[i + 1 :]
    if kind < 0.6:
        return name[:i] + name[i + 1 :]
    if kind < 0.8:
        return name[:i] + c + name[i:]
    if i < len(name) - 1:
        return name[:i] + name[i + 1] + c + name[i + 2 :]
    return name[:i] + name[i - 1] + name[i + 1 :] if i >= 2 else name + c


# The fictional borough of Riverside: wards, their postcode sectors, how many of the borough's
# offenders live there (deprivation) and how much offending happens there (town centres).
@dataclass(frozen=True)
class Ward:
    name: str
    district: int  # RV<district>
    sectors: tuple[int, ...]
    residents: float  # weight: where offenders live
    offending: float  # weight: where offences happen


WARDS: tuple[Ward, ...] = (
    Ward("Old Town", 1, (1, 2), 6.0, 16.0),
    Ward("Bridge End", 1, (3, 4), 7.0, 11.0),
    Ward("North Quay", 1, (5, 6), 5.0, 9.0),
    Ward("Lockside", 2, (1, 2), 8.0, 6.0),
    Ward("Marsh Gate", 2, (3, 4, 5), 9.0, 6.5),
    Ward("Ferry Lane", 2, (6, 7), 6.0, 4.5),
    Ward("Holloway Park", 3, (1, 2), 7.5, 5.0),
    Ward("Eastwick", 3, (3, 4), 6.5, 4.5),
    Ward("Millbrook", 3, (5, 6), 5.0, 3.5),
    Ward("Castle Meadow", 4, (1, 2), 4.0, 3.0),
    Ward("Kingsmead", 4, (3, 4), 3.5, 3.0),
    Ward("Priory", 4, (5,), 2.5, 2.5),
    Ward("Ashford Green", 5, (1, 2), 3.0, 2.5),
    Ward("Thornfield", 5, (3, 4), 4.5, 3.5),
    Ward("Weir Fields", 6, (1, 2), 2.0, 2.0),
    Ward("Willow Common", 6, (3, 4), 3.0, 3.0),
    Ward("St Anne's", 7, (1, 2), 2.5, 2.5),
    Ward("Southbank", 7, (3, 4, 5), 5.0, 7.0),
)
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters used in the inward code of UK postcodes
OUTSIDE_DISTRICTS = (8, 9, 10, 11, 12, 14)  # neighbouring (equally fictional) boroughs: no Riverside ward


def postcode(rng: random.Random, district: int, sectors: tuple[int, ...]) -> str:
    return f"RV{district} {rng.choice(sectors)}{rng.choice(UNIT_LETTERS)}{rng.choice(UNIT_LETTERS)}"
