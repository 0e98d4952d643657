"""The starting lists of experience areas and ways of contributing (administrators edit them later)."""

EXPERIENCE_AREAS = [
    "Diabetes",
    "Psykisk ohälsa",
    "Cancer",
    "Hjärta och kärl",
    "Barn och unga",
    "Äldre",
    "Funktionsnedsättning",
    "Beroende",
    "Neurologi",
    "Smärta",
    "Stroke",
    "Demens",
    "Lungsjukdom",
    "Njursjukdom",
    "Reumatisk sjukdom",
    "Graviditet och förlossning",
    "Syn och hörsel",
    "Ovanliga diagnoser",
    "Palliativ vård",
]

CONTRIBUTION_TYPES = [
    "Berätta min historia för personal",
    "Delta i ett förbättringsteam",
    "Fokusgrupp eller intervju",
    "Workshop, seminarium eller konferens",
    "Undervisning i vårdutbildning",
    "Lednings-, process- eller projektgrupp",
    "Ta fram informationsmaterial",
    "Utveckla vårdtjänster eller digitala verktyg",
    "Representant i forskningsprojekt",
    "Jury för kvalitetspris",
    "Allmänt patientperspektiv",
]
