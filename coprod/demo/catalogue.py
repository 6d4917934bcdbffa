"""The words the demo draws on: places, schemes, topics and plain sentences. No people, no contact details."""

from __future__ import annotations

REGIONS = ("north_west", "north_east", "yorkshire", "midlands", "london", "south_west")

SERVICE_TYPES = {
    "supported_accommodation": ("House", "Lodge", "Place"),
    "retirement_living": ("Court", "Gardens", "Mews"),
    "floating_support": ("Floating Support", "Outreach", "Community Support"),
}

PLACES = (
    "Alder",
    "Beech",
    "Cedar",
    "Elm",
    "Hawthorn",
    "Hazel",
    "Juniper",
    "Larch",
    "Maple",
    "Oak",
    "Rowan",
    "Willow",
    "Birch",
    "Holly",
    "Ash",
    "Poplar",
    "Linden",
    "Sycamore",
    "Aspen",
    "Yew",
    "Heather",
    "Bracken",
    "Meadow",
    "Riverside",
    "Hillside",
    "Millbrook",
    "Eastgate",
    "Westfield",
    "Northcote",
    "Southbank",
    "Kingsway",
    "Parkside",
)

TOPICS = (
    "environment",
    "recruitment",
    "safety",
    "food",
    "activities",
    "digital",
    "repairs",
    "wellbeing",
    "equality",
    "communication",
    "money",
    "gardens",
)

LEVEL_WEIGHTS = {
    "educating": 4,
    "informing": 16,
    "consulting": 28,
    "engaging": 20,
    "co_designing": 16,
    "co_producing": 16,
}

ACTIVITY_TYPE_WEIGHTS = {
    "meeting": 30,
    "survey": 12,
    "focus_group": 10,
    "consultation": 8,
    "recruitment_panel": 6,
    "service_quality_audit": 6,
    "procedure_review": 6,
    "environment_design": 5,
    "equality_diversity": 4,
    "strategy": 3,
    "newsletter": 5,
    "event": 4,
    "other": 1,
}

MODE_WEIGHTS = {"face_to_face": 55, "virtual": 20, "hybrid": 15, "written": 10}

SUMMARIES = (
    "Residents' meeting about the communal lounge and the activity timetable.",
    "Customers reviewed the lettings procedure with the service manager.",
    "Survey on how safe customers feel in and around the building.",
    "Customers sat on the interview panel for a new support worker.",
    "Service Quality Audit walk-round led by two customer auditors.",
    "Workshop on the colours, furniture and signage for the refurbished entrance.",
    "Focus group on the new digital support offer and tablet loans.",
    "Joint planning session for the summer community event.",
    "Customers and colleagues co-wrote the welcome pack for new residents.",
    "Discussion of the repairs service and how repairs are reported.",
)

OUTCOMES = (
    "The lounge opening hours were extended to the evenings.",
    "The welcome pack was rewritten in plain English with customers' words.",
    "Extra lighting was fitted on the path to the car park.",
    "The panel's choice of candidate was appointed.",
    "Repairs can now be reported by text message as well as by phone.",
    "A monthly drop-in with the housing officer was set up.",
    "The garden plan customers drew is being built this spring.",
)

LAPSE_REASONS = ("Service restructure", "No customer representatives at present", "Merged with a nearby scheme")

WITHDRAW_REASONS = ("recorded in error", "duplicate")

RESPONSES = (
    "Thank you; we have passed this on to the team.",
    "We have changed the cleaning rota as suggested.",
    "The manager met the customer to talk it through.",
    "We have explained why the change was made.",
)

FEEDBACK_THEMES = ("repairs", "staff", "activities", "communication", "safety", "food", "cleaning")

TRAINING_MODULES = (
    "Introduction to co-production",
    "Co-production for managers",
    "Being a customer auditor",
    "Recruitment panel skills",
    "Running accessible meetings",
)

OPPORTUNITIES = (
    ("Join the recruitment panel for a new scheme manager", "recruitment"),
    ("Help choose the furniture for the new lounge", "environment"),
    ("Become a Service Quality Auditor", "safety"),
    ("Review the complaints procedure with us", "communication"),
    ("Plan the summer garden party", "activities"),
    ("Test the new online repairs form", "digital"),
    ("Shape the healthy eating menu", "food"),
    ("Sit on the equality and diversity forum", "equality"),
)
