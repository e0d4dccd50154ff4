// Places people name when asked for their time zone, grouped by the IANA zone they keep time by:
// South African cities, towns, townships and provinces (one zone for the whole country), the
// neighbours, Africa, and the cities and countries South Africans work from abroad. Names are
// written folded (lower case, no accents); a country with several zones (USA, Canada, Australia,
// Brazil, Russia, DRC, Indonesia, Mexico) is left out on purpose so the bot asks for a city.
// IANA's own city names ("Harare", "Europe/London") are read from the runtime, not listed here.

export const PLACES: Readonly<Record<string, string>> = {
  "Africa/Johannesburg":
    "south africa, suid afrika, mzansi, ningizimu afrika, rsa, sa, za, sast, gauteng, western cape, eastern cape, northern cape, " +
    "kwazulu natal, kzn, free state, limpopo, mpumalanga, north west, johannesburg, joburg, jozi, jhb, joeys, egoli, cape town, " +
    "kaapstad, kapa, cpt, durban, ethekwini, dbn, pretoria, tshwane, pta, soweto, gqeberha, port elizabeth, pe, nelson mandela bay, " +
    "bloemfontein, bloem, mangaung, polokwane, pietersburg, east london, buffalo city, mbombela, nelspruit, kimberley, " +
    "pietermaritzburg, maritzburg, pmb, george, rustenburg, mahikeng, mafikeng, mthatha, umtata, upington, welkom, potchefstroom, " +
    "potch, klerksdorp, vereeniging, vanderbijlpark, sasolburg, benoni, boksburg, germiston, alberton, springs, kempton park, " +
    "tembisa, midrand, sandton, randburg, roodepoort, krugersdorp, centurion, soshanguve, mamelodi, atteridgeville, " +
    "khayelitsha, mitchells plain, gugulethu, langa, stellenbosch, paarl, worcester, somerset west, bellville, knysna, " +
    "mossel bay, oudtshoorn, umlazi, kwamashu, pinetown, richards bay, newcastle, ladysmith, empangeni, vryheid, port shepstone, " +
    "ballito, queenstown, komani, grahamstown, makhanda, uitenhage, kariega, graaff reinet, witbank, emalahleni, middelburg, " +
    "secunda, ermelo, tzaneen, thohoyandou, mokopane, lephalale, thabazimbi, brits, hammanskraal, kroonstad, bethlehem, " +
    "phuthaditjhaba, qwaqwa, harrismith, vryburg, kuruman, springbok, de aar, beaufort west, hermanus, saldanha, vredenburg, " +
    "alexandra, diepsloot, orange farm, lenasia, katlehong, vosloorus, daveyton, kagiso, mabopane, garankuwa, " +
    "botshabelo, sebokeng, evaton, bisho, bhisho, giyani, musina, bela bela, modimolle, standerton, kwa thema, tsakane, " +
    "mdantsane, butterworth, lusikisiki, port st johns, kokstad, harding, eshowe, ulundi, nongoma, jozini, stanger, " +
    // Cape Town in isiZulu and isiXhosa (eKapa: "in Cape Town").
    "kwadukuza, ekapa, ikapa",
  "Africa/Maseru": "lesotho, maseru, mafeteng, leribe",
  "Africa/Gaborone": "botswana, gaborone, francistown, maun",
  "Africa/Windhoek": "namibia, windhoek, walvis bay, swakopmund, oshakati",
  "Africa/Harare": "zimbabwe, zim, harare, bulawayo, mutare, gweru, masvingo",
  "Africa/Maputo": "mozambique, maputo, beira, matola, cat",
  "Africa/Mbabane": "eswatini, swaziland, mbabane, manzini",
  "Africa/Lusaka": "zambia, lusaka, ndola, kitwe, livingstone",
  "Africa/Blantyre": "malawi, lilongwe, blantyre",
  "Africa/Luanda": "angola, luanda",
  "Africa/Lagos": "nigeria, naija, lagos, abuja, ibadan, kano, port harcourt, wat",
  "Africa/Nairobi": "kenya, nairobi, mombasa, kisumu, eat",
  "Africa/Accra": "ghana, accra, kumasi",
  "Africa/Cairo": "egypt, cairo, alexandria",
  "Africa/Addis_Ababa": "ethiopia, addis ababa, addis",
  "Africa/Dar_es_Salaam": "tanzania, dar es salaam, dar, dodoma, zanzibar, arusha",
  "Africa/Kampala": "uganda, kampala",
  "Africa/Kigali": "rwanda, kigali",
  "Africa/Bujumbura": "burundi",
  "Africa/Kinshasa": "kinshasa",
  "Africa/Lubumbashi": "lubumbashi",
  "Africa/Brazzaville": "congo brazzaville, republic of the congo",
  "Africa/Casablanca": "morocco, casablanca, rabat, marrakech, marrakesh",
  "Africa/Algiers": "algeria",
  "Africa/Tunis": "tunisia",
  "Africa/Dakar": "senegal",
  "Africa/Douala": "cameroon, yaounde",
  "Africa/Abidjan": "ivory coast, cote divoire",
  "Africa/Khartoum": "sudan",
  "Africa/Juba": "south sudan",
  "Africa/Mogadishu": "somalia",
  "Indian/Antananarivo": "madagascar",
  "Indian/Mauritius": "mauritius, port louis",
  "Indian/Mahe": "seychelles",
  "Europe/London":
    "uk, united kingdom, britain, great britain, england, scotland, wales, northern ireland, london, manchester, birmingham, " +
    "edinburgh, glasgow, liverpool, leeds, cardiff, belfast, bristol, sheffield, newcastle upon tyne, nottingham, leicester, " +
    "gmt, bst",
  "Europe/Dublin": "ireland, dublin, cork",
  "Europe/Paris": "france, paris, lyon, marseille",
  "Europe/Berlin": "germany, berlin, munich, frankfurt, hamburg, cologne, cet, cest",
  "Europe/Amsterdam": "netherlands, holland, amsterdam, rotterdam, the hague",
  "Europe/Brussels": "belgium, brussels, antwerp",
  "Europe/Madrid": "spain, madrid, barcelona",
  "Europe/Lisbon": "portugal, lisbon, porto",
  "Europe/Rome": "italy, rome, milan",
  "Europe/Zurich": "switzerland, zurich, geneva",
  "Europe/Vienna": "austria, vienna",
  "Europe/Stockholm": "sweden, stockholm",
  "Europe/Oslo": "norway, oslo",
  "Europe/Copenhagen": "denmark, copenhagen",
  "Europe/Helsinki": "finland, helsinki",
  "Europe/Warsaw": "poland, warsaw",
  "Europe/Athens": "greece, athens",
  "Europe/Istanbul": "turkey, turkiye, istanbul, ankara",
  "Europe/Moscow": "moscow",
  "Europe/Kyiv": "ukraine, kyiv, kiev",
  "Asia/Dubai": "uae, united arab emirates, emirates, dubai, abu dhabi, sharjah",
  "Asia/Qatar": "qatar, doha",
  "Asia/Riyadh": "saudi arabia, saudi, ksa, riyadh, jeddah, mecca, medina",
  "Asia/Kuwait": "kuwait",
  "Asia/Muscat": "oman, muscat",
  "Asia/Bahrain": "bahrain, manama",
  "Asia/Jerusalem": "israel, tel aviv, jerusalem",
  "Asia/Amman": "jordan, amman",
  "Asia/Beirut": "lebanon, beirut",
  "Asia/Kolkata": "india, mumbai, bombay, delhi, new delhi, bangalore, bengaluru, chennai, hyderabad, kolkata, calcutta, pune, ist",
  "Asia/Karachi": "pakistan, karachi, lahore, islamabad",
  "Asia/Dhaka": "bangladesh, dhaka",
  "Asia/Colombo": "sri lanka, colombo",
  "Asia/Kathmandu": "nepal, kathmandu",
  "Asia/Shanghai": "china, beijing, shanghai, shenzhen, guangzhou",
  "Asia/Hong_Kong": "hong kong",
  "Asia/Tokyo": "japan, tokyo, osaka",
  "Asia/Seoul": "south korea, korea, seoul",
  "Asia/Singapore": "singapore",
  "Asia/Kuala_Lumpur": "malaysia, kuala lumpur",
  "Asia/Manila": "philippines, manila",
  "Asia/Bangkok": "thailand, bangkok",
  "Asia/Ho_Chi_Minh": "vietnam, hanoi, ho chi minh city, saigon",
  "Asia/Jakarta": "jakarta",
  "America/New_York": "new york, new york city, nyc, boston, washington dc, miami, atlanta, philadelphia, est, edt",
  "America/Chicago": "chicago, houston, dallas",
  "America/Denver": "denver",
  "America/Los_Angeles": "los angeles, san francisco, seattle, california, las vegas, pst, pdt",
  "America/Toronto": "toronto, ottawa, montreal",
  "America/Vancouver": "vancouver",
  "America/Edmonton": "calgary, edmonton",
  "America/Mexico_City": "mexico city",
  "America/Sao_Paulo": "sao paulo, rio de janeiro, rio",
  "America/Argentina/Buenos_Aires": "argentina, buenos aires",
  "America/Santiago": "chile, santiago",
  "America/Bogota": "colombia, bogota",
  "America/Lima": "peru, lima",
  "America/Jamaica": "jamaica, kingston",
  "Australia/Sydney": "sydney, canberra, nsw",
  "Australia/Melbourne": "melbourne",
  "Australia/Brisbane": "brisbane",
  "Australia/Perth": "perth",
  "Australia/Adelaide": "adelaide",
  "Pacific/Auckland": "new zealand, auckland, wellington",
  UTC: "utc, zulu time",
};

/**
 * Names that are also ordinary words or first names ("George", "Welkom" is Afrikaans for welcome,
 * "Sydney", "Jordan"), or too short to trust inside a sentence: a zone only when they are the
 * whole answer ("George", "I'm in George"), never when met inside other words.
 */
export const WHOLE_ONLY: ReadonlySet<string> = new Set([
  "sa", "za", "rsa", "pe", "pta", "jhb", "cpt", "dbn", "pmb", "kzn", "uk", "zim", "dar", "rio", "cat", "eat", "wat", "gmt",
  "bst", "cet", "cest", "sast", "ist", "est", "edt", "pst", "pdt", "utc", "nyc", "ksa", "nsw", "george", "welkom", "springs",
  "langa", "brits", "bethlehem", "alexandra", "kimberley", "sydney", "jordan", "turkey", "emirates", "kapa", "addis",
  "saudi", "korea", "potch", "bloem", "perth", "lima", "kingston", "santiago", "victoria", "medina", "mecca", "naija",
  "harding", "musina", "george", "de aar", "newcastle", "paarl", "worcester", "middelburg", "ballito", "dodoma",
]);

/** Countries with several zones: named alone, they are no answer (and no typo of a neighbour: "Australia" is not "Austria"). */
export const SEVERAL_ZONES: readonly string[] = [
  "usa", "us", "america", "united states", "united states of america", "canada", "australia", "brazil", "russia", "drc",
  "congo", "democratic republic of the congo", "indonesia", "mexico", "kazakhstan", "mongolia", "europe", "africa", "asia",
];
