"""The five templates the service ships with (SPEC section 6), as plain data.

Migration 0002 loads these; operators edit them in the admin afterwards, so nothing at run time
reads this module. Keep it free of Django imports: a migration must not depend on the current
models.

style_rules["composition"] tells the local provider where to put the subject in the 720x1280
reference scene: subject_center is the centre of the face (for the record store, of the album
art on the record label) as fractions of width and height, and subject_height is the face height
(for the record store, the label diameter) as a fraction of the frame height; the record store
also gives record_height, the whole record's diameter. The scenes in content/scenes.py are drawn
around these spots.

caption_guide["formats"] are caption patterns; {lyric}, {mood}, {artist} and {title} are filled in
by the local caption writer, and the fal provider shows them to its LLM as they are.

Movements name camera or subject motion in words an image-to-video model follows; each contains
one of MOTION_KEYWORDS, which the local provider maps to its own pan, zoom and shake.
"""

from typing import TypedDict

MOTION_KEYWORDS = ("push", "pull", "pan left", "pan right", "tilt", "sway", "shake", "orbit", "static")


class Composition(TypedDict, total=False):
    subject_center: list[float]
    subject_height: float
    record_height: float


class StyleRules(TypedDict):
    camera: str
    environment: str
    subject: str
    realism: str
    composition: Composition


class CaptionGuide(TypedDict):
    tone: str
    rules: list[str]
    formats: list[str]
    max_chars: dict[str, int]
    examples: dict[str, list[str]]


class TemplateSeed(TypedDict):
    id: str
    description: str
    image_prompt: str
    style_rules: StyleRules
    uses_face_guide: bool
    uses_artist_image: bool
    default_lipsync: bool
    moods: list[str]
    movements: list[str]
    caption_guide: CaptionGuide
    # One title per reference image; image i is content.scenes.draw_scene(id, i).
    reference_images: list[str]


BEDROOM: TemplateSeed = {
    "id": "artist-caption-bedroom",
    "description": "Moody LED-lit bedroom phone selfie, deadpan, with a caption burned in.",
    "image_prompt": (
        "A vertical 9:16 phone selfie taken at arm's length in a small bedroom late at night. The artist leans "
        "back against the pillows of an unmade bed and looks straight into the lens with a flat, deadpan face. "
        "A coloured LED strip along the ceiling floods the wall behind them with saturated light; a second strip "
        "behind the headboard glows in a neighbouring hue. A window shows a dark city skyline with a few lit "
        "windows, two or three posters hang slightly crooked, a bedside lamp throws a small warm pool of light. "
        "The face is lit by the LED colour and the cool spill of the phone screen, with soft shadows and no "
        "flash. Front-camera wide angle, slight distortion near the edges, sensor noise in the shadows. It should "
        "look like a real, unplanned photo on someone's camera roll, not a shoot."
    ),
    "style_rules": {
        "camera": "front phone camera held at arm's length, slightly above eye level, about 26 mm equivalent, "
        "face in the upper half of the frame",
        "environment": "small lived-in bedroom at night: LED strip glow on the walls, unmade bed, posters, "
        "window with city lights, one warm bedside lamp",
        "subject": "the artist from the chest up, slouched on the bed, deadpan, eyes on the lens, everyday clothes",
        "realism": "a real phone photo: sensor noise, mixed colour temperatures, soft focus at the edges, "
        "no retouching, no studio light",
        "composition": {"subject_center": [0.5, 0.4], "subject_height": 0.2},
    },
    "uses_face_guide": True,
    "uses_artist_image": False,
    "default_lipsync": False,
    "moods": [
        "deadpan",
        "sleepless",
        "lovesick",
        "wistful",
        "numb",
        "petty",
        "tender",
        "restless",
        "heartbroken",
        "dreamy",
        "bored",
        "smug",
    ],
    "movements": [
        "slow push-in on the face",
        "gentle handheld sway",
        "subtle handheld shake",
        "slow pull-back to show the room",
        "slight tilt up",
        "slow tilt down to the pillows",
        "slow pan left",
        "slow pan right",
        "almost static, just breathing",
        "small orbit around the face",
        "head sways slowly to the beat",
    ],
    "caption_guide": {
        "tone": "deadpan, lowercase, a little sad and a little funny; reads like a text sent at 3am and not taken back",
        "rules": [
            "all lowercase; no full stop at the end of a short caption",
            "no hashtags, no emojis, no exclamation marks",
            "say one small, specific, true-sounding thing rather than a big feeling",
            "quote at most a few words of the clip's lyric and react to it flatly",
            "never explain the joke; never ask anyone to stream, follow or share",
            "stay within max_chars for the length",
        ],
        "formats": [
            "i wrote '{lyric}' at 3am and i stand by it",
            "pov: you're {mood} and the led strip knows",
            "{lyric} (not about anyone)",
            "me, {mood}, pretending {title} isn't about you",
            "is it about you? '{lyric}'. yes",
        ],
        "max_chars": {"short": 70, "medium": 160, "long": 400},
        "examples": {
            "short": [
                "i said i was over it and then wrote this",
                "pov: you're fine (you are not fine)",
                "3am and the led strip is the only one listening",
                "replying to your text in the form of a song",
                "me pretending this one isn't about you",
                "not crying, the lighting is just purple",
                "wrote the chorus in my notes app at 4am. no regrets. some regrets",
                "villain era but make it from bed",
            ],
            "medium": [
                (
                    "i have a rule about not writing songs about people who don't text back. this song is about "
                    "someone who doesn't text back."
                ),
                (
                    "my room has three lights and all of them are pink now. the song sounds like that too, if that "
                    "helps."
                ),
                (
                    "recorded the vocal under a duvet because that's where the feelings are. headphones on, "
                    "expectations low."
                ),
                "pov: you promised yourself an early night and now you're mouthing the bridge at the ceiling.",
            ],
            "long": [
                (
                    "ok so it's late and the led strip is doing the slow fade thing and i'm thinking about how you "
                    "said 'maybe next week' like it was a real date on a real calendar. anyway i wrote a song instead "
                    "of replying. it's about the week that never came. i'm fine. the chorus is the part where i'm not "
                    "fine. the rest is me pretending, which i'm honestly great at"
                ),
                (
                    "things i did tonight instead of sleeping: moved my posters, watched my own story four times, "
                    "learned every harmony on this, decided the harmonies were about you, decided they weren't, "
                    "decided they were again. the lamp is still on. if you're up too this one's yours. no i will not "
                    "be elaborating"
                ),
                (
                    "someone told me to write down how i feel so i did, then i put drums under it and now it's a "
                    "song, which technically counts. it's about being the last one awake in a room that used to feel "
                    "smaller. it's about blue light at 3am. it's mostly about you but don't tell anyone, especially "
                    "you"
                ),
            ],
        },
    },
    "reference_images": [
        "violet LED bedroom, window left, two posters",
        "red LED bedroom with fairy lights, window right",
        "cyan LED bedroom, window left, one big poster",
    ],
}

OUTSIDE: TemplateSeed = {
    "id": "artist-caption-outside",
    "description": "Night street, phone propped low on the ground, the artist full body, with a caption.",
    "image_prompt": (
        "A vertical 9:16 photo of the artist standing full body in the middle of a city street at night, shot "
        "from a phone propped low on the wet ground a few metres away, so the camera looks up at them and the "
        "buildings on both sides lean in overhead. Street lamps and lit windows line the street and shrink "
        "towards a vanishing point behind the artist; a neon sign glows on one facade. The asphalt is wet "
        "after rain and mirrors the lamps as long vertical streaks; the nearest strip of ground is out of "
        "focus. The artist stands still with an unbothered expression, head to toe in frame, lit by the "
        "nearest lamp with a cooler fill from the sky. Night-mode phone look: lifted shadows, noise, "
        "slight halation around lights. Candid and cinematic, not staged."
    ),
    "style_rules": {
        "camera": "rear phone camera propped on the ground, tilted up, about 24 mm equivalent, horizon low in "
        "the frame, the whole body in shot",
        "environment": "a wet city street at night: street lamps, lit windows, a neon sign, reflections on the "
        "asphalt, haze where the street disappears",
        "subject": "the artist head to toe, standing in the centre of the street, relaxed, looking at or just "
        "past the lens",
        "realism": "phone night mode: noise, soft halos around lights, mixed sodium and neon colour, no flash",
        "composition": {"subject_center": [0.5, 0.24], "subject_height": 0.075},
    },
    "uses_face_guide": True,
    "uses_artist_image": False,
    "default_lipsync": False,
    "moods": [
        "nocturnal",
        "defiant",
        "lonely",
        "cinematic",
        "carefree",
        "brooding",
        "euphoric",
        "restless",
        "cold",
        "nostalgic",
        "hopeful",
    ],
    "movements": [
        "static low angle, the artist sways to the beat",
        "slow push-in from the ground",
        "slow pull-back along the wet street",
        "slow tilt up from the feet to the face",
        "slow pan left along the street",
        "slow pan right towards the street lamps",
        "wind makes the propped phone shake slightly",
        "slow low orbit around the artist",
        "static, the artist steps closer to the lens",
        "gentle sway as if the phone is leaning on a bag",
        "slow tilt down from the lamps to the artist",
    ],
    "caption_guide": {
        "tone": "lowercase, nocturnal and quietly cinematic but dry: the inner monologue of someone walking "
        "home alone at 2am who knows they look cool and refuses to admit it",
        "rules": [
            "all lowercase, no hashtags, no emojis",
            "ground it in the street: lamps, puddles, night buses, the walk home, the cold",
            "understate everything; cool, never try-hard",
            "quote at most a short piece of the clip's lyric",
            "no calls to action",
            "stay within max_chars for the length",
        ],
        "formats": [
            "2am, wet pavement, {lyric}",
            "{lyric}. anyway i'm walking home",
            "forecast: {mood} with light drizzle",
            "walked home the long way to finish {title}",
        ],
        "max_chars": {"short": 70, "medium": 160, "long": 400},
        "examples": {
            "short": [
                "2:14am, wet pavement, main character behaviour",
                "walked home the long way so the song could finish",
                "the street lamps get it",
                "it rained so i made it everyone's problem",
                "left the party early to be dramatic outside",
                "phone on the floor, heart on the last bus",
                "forecast: heavy feelings, light drizzle",
            ],
            "medium": [
                (
                    "every street lamp on the walk home is a spotlight if you're brave enough to ignore the people "
                    "at the bus stop."
                ),
                (
                    "wrote this on the night bus with one earbud in and the window fogged up. you can hear the city "
                    "in the second verse."
                ),
                (
                    "the puddles were doing that thing where they look like another city under this one. the song "
                    "lives down there."
                ),
                (
                    "left my phone on the ground to film this and a fox walked past. the fox did not care about my "
                    "single."
                ),
            ],
            "long": [
                (
                    "it's 2am and the street is empty except for me and a delivery scooter that keeps circling like "
                    "it's also thinking about someone. the lamps are that orange that makes everything look like a "
                    "memory. i've had this on loop since the corner shop. i don't even know where i'm walking, "
                    "somewhere with fewer feelings probably. anyway it's out now. i'll be outside"
                ),
                (
                    "you know when you leave somewhere and the cold air hits and suddenly everything is very clear "
                    "and very cinematic? this song is those ten seconds. the rest of the night was honestly mid. i "
                    "missed the last train, my shoes are soaked and i stood in a puddle to get this shot. worth it. "
                    "probably. ask me tomorrow"
                ),
                (
                    "some songs are for the walk home and this is one of them. it's for the bit between the party "
                    "and your front door where you replay everything you said and decide it was fine. it was not "
                    "fine. the street lamps didn't judge though. they just kept doing their job, which is more than "
                    "i can say for some people"
                ),
            ],
        },
    },
    "reference_images": [
        "sodium-orange street after rain, teal neon",
        "cold white lamps, magenta neon, blue hour sky",
        "red haze street, green neon sign",
    ],
}

STAGE: TemplateSeed = {
    "id": "artist-caption-stage",
    "description": "Small-venue fan-cam from the crowd: harsh stage lights, the artist singing (lip-synced by "
    "default).",
    "image_prompt": (
        "A vertical 9:16 fan-cam frame from the middle of the crowd at a small, packed venue. The artist stands "
        "centre stage at the microphone, mid-line with the mouth open, singing hard, seen over the heads and "
        "shoulders of the audience. Harsh coloured spotlights hang from a truss above the stage and cut beams "
        "through thick haze; a bright backlight behind the artist rims their hair and shoulders. The "
        "foreground is dark silhouettes of heads, raised arms and phones whose screens show tiny copies of the "
        "stage. Monitors and an amp sit at the edge of the stage. Shot on a phone held up high: blown "
        "highlights, lens flare, heavy noise, slight motion blur. Raw and loud, like a clip someone posted "
        "from the show that night."
    ),
    "style_rules": {
        "camera": "rear phone camera held up above the crowd, zoomed a little, about 50 mm equivalent, slightly "
        "below the stage looking up",
        "environment": "a small club stage: truss lights, coloured beams in haze, dark drapes, monitor wedges, "
        "the crowd's heads and phones in the foreground",
        "subject": "the artist singing into a microphone, from the waist up above the crowd, mouth open on the "
        "lyric, eyes half closed",
        "realism": "concert phone footage: clipped highlights, coloured light on skin, haze, heavy noise, no "
        "clean studio look",
        "composition": {"subject_center": [0.5, 0.35], "subject_height": 0.075},
    },
    "uses_face_guide": True,
    "uses_artist_image": False,
    "default_lipsync": True,
    "moods": [
        "euphoric",
        "sweaty",
        "triumphant",
        "raw",
        "electric",
        "overwhelmed",
        "grateful",
        "chaotic",
        "intimate",
        "fierce",
        "emotional",
    ],
    "movements": [
        "handheld shake from the crowd",
        "fan-cam sway above the heads",
        "slow push-in on the singer",
        "quick tilt up to the lights",
        "slow pan left across the stage",
        "slow pan right across the stage",
        "pull back to show the crowd",
        "phone held high, bouncing shake on the beat",
        "slow orbit as the fan moves through the crowd",
        "tilt down from the lights to the singer",
        "the singer sways at the mic",
    ],
    "caption_guide": {
        "tone": "lowercase, loud underneath but still deadpan: a tour diary written in the green room, half "
        "disbelief, half gratitude, never cringe",
        "rules": [
            "all lowercase, no hashtags",
            "talk about the room: the crowd, the lights, the sound, the heat, the city if it is known",
            "gratitude is fine, grovelling is not",
            "the clip is live: quoting the line being sung works well",
            "at most one exclamation mark, and only in a short caption",
            "stay within max_chars for the length",
        ],
        "formats": [
            "pov: row three, they sing '{lyric}' louder than me",
            "the whole room on '{lyric}'",
            "{title}, live, very {mood}",
            "played {title} tonight and the room went {mood}",
        ],
        "max_chars": {"short": 70, "medium": 160, "long": 400},
        "examples": {
            "short": [
                "pov: you're in row three and i'm looking at you",
                "they sang it louder than me so i stopped",
                "small room, big chorus",
                "the lights were too much and so were we",
                "fan cam of the night, sorry to the phone in front",
                "played it live for the first time. my knees are gone",
                "this is the song the sound guy hums now!",
            ],
            "medium": [
                (
                    "two hundred people in a room built for one hundred and fifty, all singing the bridge at me. i "
                    "forgot my own words and didn't need them."
                ),
                (
                    "someone in the front held up a phone playing the demo. never been so seen and so attacked at "
                    "the same time."
                ),
                (
                    "this is the part of the set where the lights go pink and i pretend i'm not about to cry. it "
                    "works about half the time."
                ),
                (
                    "thank you to everyone who came out on a tuesday. you were loud enough for a saturday and that's "
                    "the nicest thing i can say."
                ),
            ],
            "long": [
                (
                    "i played this song alone in my bedroom for a year and tonight a room full of strangers knew the "
                    "words before i did. the lights were so hot i could barely see anyone, just phone screens like "
                    "little moons, and then the chorus came and the floor actually moved. i don't know what to do "
                    "with that so i'm putting it here. thank you. again tomorrow"
                ),
                (
                    "green room notes: the monitor kept feeding back, i forgot the second verse, the smoke machine "
                    "set off something in the hallway, and it was still the best night of my life. someone filmed "
                    "this from the back and you can hear them singing more than me. honestly that's the version i'd "
                    "release"
                ),
                (
                    "story time. soundcheck was a disaster, nobody could hear the kick and i was sure no one would "
                    "show up. then doors opened and it was full in ten minutes. this is from the last song. look at "
                    "the lights. look at the hands. i'm still shaking a bit writing this. small rooms are the best "
                    "rooms and i will die on that hill"
                ),
            ],
        },
    },
    "reference_images": [
        "magenta and blue beams, packed club",
        "amber and red beams, warm haze",
        "green and white beams, cold haze",
    ],
}

RECORD_STORE: TemplateSeed = {
    "id": "album-record-store",
    "description": "The album's vinyl spinning on a turntable in a record store, no person; the album art is "
    "on the record.",
    "image_prompt": (
        "A vertical 9:16 phone photo looking down at a turntable on the counter of an independent record "
        "store. A black vinyl record sits on the platter with the tonearm resting on the outer grooves; the "
        "centre label carries the artist's album art, perfectly round and undistorted. Ceiling lights catch "
        "two soft bright wedges in the grooves. Behind the deck, out of focus, are wooden shelves packed with "
        "record spines, a few sleeves turned face-out, and crates of records on a table. Warm practical "
        "lighting from pendant lamps, shallow depth of field, a little film-like grain. No people and no "
        "hands anywhere in the frame; the record is the subject."
    ),
    "style_rules": {
        "camera": "phone held above the turntable looking down at a steep angle, about 28 mm equivalent, the "
        "record large and round in the lower middle of the frame",
        "environment": "an independent record store: turntable on the counter, shelves of record spines and "
        "face-out sleeves, crates, warm pendant lamps, background softly out of focus",
        "subject": "the vinyl record with the album art as its centre label, spinning; no person, no hands",
        "realism": "a real phone photo in a shop: warm practical light, shallow depth of field, gentle grain, "
        "true reflections on the vinyl",
        "composition": {"subject_center": [0.5, 0.62], "subject_height": 0.2, "record_height": 0.44},
    },
    "uses_face_guide": False,
    "uses_artist_image": True,
    "default_lipsync": False,
    "moods": [
        "warm",
        "nostalgic",
        "hypnotic",
        "cosy",
        "reverent",
        "mellow",
        "bittersweet",
        "golden",
        "analogue",
        "late-night",
        "curious",
    ],
    "movements": [
        "static overhead, the record spinning",
        "slow push-in on the label",
        "slow pull-back to show the shop",
        "slow orbit around the turntable",
        "gentle tilt up to the shelves",
        "slow pan left across the deck",
        "slow pan right towards the tonearm",
        "slight handheld sway over the deck",
        "static close-up as the needle rides the groove",
        "slow tilt down onto the record",
    ],
    "caption_guide": {
        "tone": "lowercase, warm and unhurried, like a record-shop regular talking about a new arrival: the "
        "album is the subject and the physical details (sleeve, wax, needle, side a, side b) carry the feeling",
        "rules": [
            "all lowercase, no hashtags, no emojis",
            "talk about the record as an object: sleeve, wax, needle, grooves, the crackle",
            "release facts (out now, on vinyl, the title) are welcome, said plainly",
            "nobody is on screen: never describe a person in the shot",
            "quote at most one short lyric fragment",
            "stay within max_chars for the length",
        ],
        "formats": [
            "now spinning: {title} by {artist}",
            "side a, track one: {title}",
            "the needle drops. '{lyric}'",
            "staff pick: {title}. {mood} all the way through",
        ],
        "max_chars": {"short": 60, "medium": 160, "long": 400},
        "examples": {
            "short": [
                "new arrival. staff pick. no notes",
                "side a for the walk home, side b for after",
                "the needle knows where the chorus is",
                "found in the new releases crate, stays on repeat",
                "put it on. turn it over. put it on again",
                "sounds better on wax, ask anyone at the counter",
                "33 and a third feelings per minute",
            ],
            "medium": [
                (
                    "the kind of record the person behind the counter plays twice without being asked. out now on "
                    "vinyl, sleeve and all."
                ),
                "drop the needle on track one and let it run. the crackle between songs is part of the album now.",
                (
                    "filed under new releases, but it already sounds like something you found in a crate at the back "
                    "and kept."
                ),
                (
                    "side a is for the bus, side b is for the floor of your room with the lights off. the grooves "
                    "make the rules."
                ),
            ],
            "long": [
                (
                    "there's a moment in every record shop when the song on the house turntable changes the room and "
                    "three strangers look up at once. this album did that today. the sleeve is on the counter, the "
                    "needle is halfway through side a, and nobody has asked to change it. it's out now, on wax and "
                    "everywhere else, but hear it on a record player if you can"
                ),
                (
                    "liner notes, roughly: recorded over a winter, mixed too late at night, cut to vinyl because "
                    "some songs need a physical place to live. side a is the going out, side b is the coming home. "
                    "the run-out groove hums a little and we kept it. if you only play one track, play the one "
                    "spinning here. then turn it over anyway"
                ),
                (
                    "new release wall, second row, face out. that's where you'll find it. the cover catches the lamp "
                    "over the crates and the record inside is heavier than you'd expect. put it on, let the crackle "
                    "settle, and wait for the hook. it arrives about where the needle is now"
                ),
            ],
        },
    },
    "reference_images": [
        "walnut turntable, warm shop lights",
        "black turntable, pink neon in the back",
        "cream turntable, green-walled shop",
    ],
}

EDITORIAL: TemplateSeed = {
    "id": "artist-release-editorial",
    "description": "Editorial press photo for a release: the artist against a seamless studio backdrop.",
    "image_prompt": (
        "A vertical 9:16 editorial press portrait for a new release. The artist stands three-quarter length "
        "against a seamless paper backdrop that curves into the floor, shoulders slightly turned, chin level, "
        "a calm and certain look straight down the lens. One large soft key light from camera left makes a "
        "gentle gradient on the backdrop, brightest behind the head and falling off to the edges; a soft "
        "contact shadow sits on the floor. Styling is simple and deliberate, one strong colour at most. Shot "
        "on a medium-format camera at about 80 mm: crisp focus on the eyes, natural skin texture, fine film "
        "grain, restrained colour grade. Clean negative space above the head for a title, nothing else in "
        "the frame."
    ),
    "style_rules": {
        "camera": "medium-format camera on a tripod at chest height, about 80 mm, three-quarter-length "
        "framing with space above the head",
        "environment": "a seamless paper or painted-canvas studio backdrop curving into the floor, soft light "
        "gradient, nothing else in the set",
        "subject": "the artist standing three-quarter length, composed and still, looking into the lens, "
        "styled simply for a press photo",
        "realism": "high-end editorial photograph: soft directional key light, natural skin texture, fine "
        "grain, accurate colour, no heavy retouching",
        "composition": {"subject_center": [0.5, 0.3], "subject_height": 0.11},
    },
    "uses_face_guide": True,
    "uses_artist_image": False,
    "default_lipsync": False,
    "moods": [
        "confident",
        "poised",
        "serene",
        "cool",
        "stark",
        "enigmatic",
        "bold",
        "understated",
        "elegant",
        "mysterious",
        "intense",
    ],
    "movements": [
        "slow push-in",
        "slow pull-back",
        "static, the artist turns to camera",
        "slow pan left",
        "slow pan right",
        "subtle sway of the shoulders",
        "slow tilt up from the hands to the face",
        "half orbit around the artist",
        "static, a slow blink and a look away",
        "slow tilt down",
        "gentle handheld sway",
    ],
    "caption_guide": {
        "tone": "lowercase, minimal and confident, like a magazine caption or a press release with the "
        "adjectives taken out: short declarative sentences, facts first, one quiet line of feeling",
        "rules": [
            "all lowercase, no hashtags, no emojis, no exclamation marks",
            "lead with the release: title, format, day",
            "short declarative sentences; full stops are welcome here",
            "one line of feeling at most, never gushing",
            "no slang and no 'pov' captions: this is the formal template",
            "stay within max_chars for the length",
        ],
        "formats": [
            "{title}. out now.",
            "{artist}. {title}. everywhere today.",
            "'{lyric}'. {title}, out now.",
            "{title}. written by {artist}. out now.",
        ],
        "max_chars": {"short": 60, "medium": 160, "long": 400},
        "examples": {
            "short": [
                "new single. out friday.",
                "the new record. in full. now.",
                "a song about leaving, out everywhere today.",
                "written in winter. released in spring.",
                "one song. three minutes. no skips.",
                "the single is out. the album is next.",
                "new era. same face.",
            ],
            "medium": [
                (
                    "the new single is out today. it was written in one night and finished over a year. we think you "
                    "can hear both."
                ),
                "a record about distance, made in a small room. out now on all platforms, vinyl to follow.",
                "written in a week, produced in a month, released today. that is the whole announcement.",
                "this is the first song from the new album. it sets the tone. the rest arrives next month.",
            ],
            "long": [
                (
                    "the new single is out now. it began as a voice memo in a hotel corridor and was finished in a "
                    "studio with the lights down. it is about the space between two people who still share a "
                    "postcode. one guitar, one voice, and a drum machine that was nearly left off. the album follows "
                    "in the spring. thank you for listening to the first part of it."
                ),
                (
                    "about the record. ten songs, recorded in three cities over one long winter. it is quieter than "
                    "the last one and more honest. the single out today is the centre of it, the song everything "
                    "else was written around. it sounds like a late train and a clear decision. listen in order the "
                    "first time. after that, do what you like."
                ),
                (
                    "a short statement. this song took two years and lasts three minutes. it went through four "
                    "titles, two producers and one very long phone call. what is left is the simplest version, which "
                    "is usually the true one. it is out today everywhere. the photo was taken in an afternoon "
                    "against a paper wall. nothing else was needed."
                ),
            ],
        },
    },
    "reference_images": [
        "warm paper seamless, window light",
        "cobalt seamless, orange rim light",
        "grey painted canvas backdrop",
    ],
}

TEMPLATES: list[TemplateSeed] = [BEDROOM, OUTSIDE, STAGE, RECORD_STORE, EDITORIAL]
