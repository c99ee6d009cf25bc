//! Plausible Indonesian names for demo debtors, by naming tradition and sex, and company
//! names for B2B debtors.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use sepakat_domain::Gender;

/// A naming tradition; provinces weight them (see `places`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tradition {
    /// Javanese: often one or two names (Budi Santoso, Sri Wahyuni).
    Javanese,
    /// Sundanese (Asep Suryana, Euis Komalasari).
    Sundanese,
    /// Batak: given name and marga (Togar Simanjuntak).
    Batak,
    /// Minangkabau (Afrizal Effendi, Yusnidar).
    Minang,
    /// Bugis and Makassar (Andi Syamsuddin, Nurhaeda Amir).
    Bugis,
    /// Balinese: birth-order names (I Wayan Suarjana, Ni Made Sukarini).
    Balinese,
    /// Chinese-Indonesian (Hendra Wijaya, Linda Halim).
    Chinese,
    /// Papuan (Yohanes Wenda, Maria Kogoya).
    Papuan,
    /// Minahasa (Rendy Wowor, Grace Lumentut).
    Minahasa,
    /// Malay and other Muslim traditions of Sumatra, Kalimantan and NTB.
    Malay,
    /// Christian names of NTT, Maluku and inland Kalimantan (Yosef Manafe).
    EasternChristian,
}

struct Pool {
    male: &'static [&'static str],
    female: &'static [&'static str],
    /// Second names for men (or for both when `female_last` is empty).
    male_last: &'static [&'static str],
    female_last: &'static [&'static str],
}

fn pool(t: Tradition) -> Pool {
    match t {
        Tradition::Javanese => Pool {
            male: &[
                "Budi", "Slamet", "Agus", "Bambang", "Joko", "Sutrisno", "Wahyu", "Eko", "Heru",
                "Teguh", "Sigit", "Bayu", "Rudi", "Yoga", "Dwi", "Hadi",
            ],
            female: &[
                "Sri", "Siti", "Wulan", "Endang", "Rini", "Dewi", "Ratna", "Suharti", "Yuli",
                "Ayu", "Dian", "Retno", "Fitri", "Tri",
            ],
            male_last: &[
                "Santoso",
                "Wibowo",
                "Susanto",
                "Purnomo",
                "Setiawan",
                "Nugroho",
                "Hartono",
                "Prasetyo",
                "Kurniawan",
                "Saputra",
                "Riyadi",
                "Wicaksono",
            ],
            female_last: &[
                "Rahayu",
                "Wahyuni",
                "Handayani",
                "Lestari",
                "Astuti",
                "Susilowati",
                "Purwanti",
                "Ningsih",
                "Rahmawati",
                "Utami",
            ],
        },
        Tradition::Sundanese => Pool {
            male: &[
                "Asep", "Ujang", "Dede", "Cecep", "Dadang", "Yayan", "Iwan", "Deden", "Encep",
                "Jajang", "Agus", "Wawan",
            ],
            female: &[
                "Euis", "Neneng", "Iis", "Cucu", "Enung", "Yeni", "Imas", "Lilis", "Nining",
                "Entin", "Rina", "Tati",
            ],
            male_last: &[
                "Suryana", "Sopandi", "Hidayat", "Permana", "Saputra", "Gunawan", "Ruhimat",
                "Kurnia", "Sutisna", "Rustandi",
            ],
            female_last: &[
                "Nurhayati",
                "Komalasari",
                "Rohayati",
                "Sumiati",
                "Kartika",
                "Herlina",
                "Maryati",
                "Rosita",
            ],
        },
        Tradition::Batak => Pool {
            male: &[
                "Togar",
                "Poltak",
                "Hotman",
                "Binsar",
                "Parlindungan",
                "Sahat",
                "Martua",
                "Jonggi",
                "Daniel",
                "Roy",
                "Benget",
            ],
            female: &[
                "Rosmawati",
                "Tiurma",
                "Lasmaria",
                "Dameria",
                "Sondang",
                "Ruth",
                "Natalia",
                "Monika",
                "Rotua",
                "Hotnida",
            ],
            male_last: &[
                "Simanjuntak",
                "Siregar",
                "Nasution",
                "Hutapea",
                "Sitorus",
                "Pardede",
                "Silalahi",
                "Situmorang",
                "Tambunan",
                "Lubis",
                "Harahap",
                "Sinaga",
                "Manurung",
                "Panjaitan",
                "Simatupang",
                "Hutagalung",
            ],
            female_last: &[],
        },
        Tradition::Minang => Pool {
            male: &[
                "Rizal", "Afrizal", "Yusrizal", "Hendri", "Zulkifli", "Syafri", "Fadli", "Irwan",
                "Dasril", "Yulianto",
            ],
            female: &[
                "Yusnidar",
                "Rosna",
                "Nurhayati",
                "Yelli",
                "Desmawati",
                "Fitriani",
                "Elvira",
                "Nelly",
                "Rahmi",
                "Yuliarni",
            ],
            male_last: &[
                "Effendi", "Syahrial", "Marzuki", "Rahman", "Chaniago", "Piliang", "Tanjung",
                "Koto",
            ],
            female_last: &["Putri", "Sari", "Yanti", "Wati", "Novita", "Ramadhani"],
        },
        Tradition::Bugis => Pool {
            male: &[
                "Andi",
                "Muhammad",
                "Arifin",
                "Baso",
                "Syamsul",
                "Irfan",
                "Akbar",
                "Ridwan",
                "Haris",
                "Saharuddin",
                "Rusli",
            ],
            female: &[
                "Nurhaeda",
                "Hasnah",
                "Sitti",
                "Marlina",
                "Rahmawati",
                "Hasniati",
                "Nurlina",
                "Suriani",
                "Andi Nurul",
                "Jumriah",
            ],
            male_last: &[
                "Amiruddin",
                "Syamsuddin",
                "Nurdin",
                "Jamaluddin",
                "Hasanuddin",
                "Amir",
                "Latif",
                "Rauf",
                "Mappiare",
                "Idris",
            ],
            female_last: &[],
        },
        Tradition::Balinese => Pool {
            male: &[
                "Suarjana",
                "Budiarta",
                "Mertayasa",
                "Sudarsana",
                "Wirawan",
                "Adnyana",
                "Darmawan",
                "Sukadana",
                "Astawa",
                "Widiana",
            ],
            female: &[
                "Sukarini",
                "Wartini",
                "Suartini",
                "Ariani",
                "Kusumawati",
                "Sriasih",
                "Yuliantari",
                "Sumerti",
                "Dewi Lestari",
                "Ayu Purnami",
            ],
            male_last: &[],
            female_last: &[],
        },
        Tradition::Chinese => Pool {
            male: &[
                "Hendra", "Budi", "Tommy", "Kevin", "Andreas", "Steven", "Hengky", "Felix",
                "Yohan", "Robert", "Jimmy",
            ],
            female: &[
                "Linda",
                "Mega",
                "Yenny",
                "Lily",
                "Fenny",
                "Stephanie",
                "Melinda",
                "Cindy",
                "Jessica",
                "Vivian",
                "Susan",
            ],
            male_last: &[
                "Wijaya", "Tanoto", "Halim", "Gunawan", "Santoso", "Tanjaya", "Kusuma", "Salim",
                "Hartanto", "Sugianto", "Susilo", "Lim", "Tan",
            ],
            female_last: &[],
        },
        Tradition::Papuan => Pool {
            male: &[
                "Yohanes", "Markus", "Yakob", "Lukas", "Titus", "Natan", "Benny", "Frans",
                "Yulius", "Marthen",
            ],
            female: &[
                "Maria",
                "Yuliana",
                "Selfina",
                "Ester",
                "Debora",
                "Naomi",
                "Agustina",
                "Martha",
                "Yosina",
                "Elisabeth",
            ],
            male_last: &[
                "Wenda",
                "Kogoya",
                "Tabuni",
                "Wonda",
                "Rumbiak",
                "Mandowen",
                "Yikwa",
                "Kambu",
                "Korwa",
                "Sawaki",
                "Karubaba",
                "Wanimbo",
                "Rumaropen",
                "Ayomi",
                "Numberi",
            ],
            female_last: &[],
        },
        Tradition::Minahasa => Pool {
            male: &[
                "Rendy",
                "Fransiskus",
                "Jefry",
                "Steven",
                "Ronald",
                "Hendrik",
                "Meiky",
                "Johny",
                "Recky",
                "Alfian",
            ],
            female: &[
                "Grace", "Meity", "Novita", "Olivia", "Feybe", "Stevani", "Marlyn", "Christin",
                "Vanny", "Lenny",
            ],
            male_last: &[
                "Wowor",
                "Lumentut",
                "Rumengan",
                "Mamahit",
                "Sondakh",
                "Tumbelaka",
                "Pangemanan",
                "Kalalo",
                "Sumampouw",
                "Worang",
                "Rondonuwu",
            ],
            female_last: &[],
        },
        Tradition::Malay => Pool {
            male: &[
                "Muhammad", "Ahmad", "Rahmat", "Zainal", "Syahril", "Hamdan", "Fauzi", "Ismail",
                "Razali", "Iskandar", "Zulfikar", "Taufik",
            ],
            female: &[
                "Nurul",
                "Siti",
                "Aisyah",
                "Zuraida",
                "Rahmah",
                "Fatimah",
                "Nurhasanah",
                "Salmah",
                "Faridah",
                "Halimah",
                "Juliana",
            ],
            male_last: &[
                "Hasan",
                "Abdullah",
                "Yusuf",
                "Hamzah",
                "Ibrahim",
                "Rahman",
                "Syahputra",
                "Hidayat",
                "Saleh",
                "Arsyad",
            ],
            female_last: &[
                "Hasanah", "Aini", "Zahra", "Fitriani", "Wahyuni", "Safitri", "Hamid", "Yusuf",
            ],
        },
        Tradition::EasternChristian => Pool {
            male: &[
                "Yosef",
                "Petrus",
                "Paulus",
                "Agustinus",
                "Fransiskus",
                "Yakobus",
                "Melkianus",
                "Simon",
                "Antonius",
                "Ignasius",
            ],
            female: &[
                "Maria",
                "Theresia",
                "Yasinta",
                "Veronika",
                "Margaretha",
                "Anastasia",
                "Magdalena",
                "Fransiska",
                "Kristina",
                "Sisilia",
            ],
            male_last: &[
                "Lado",
                "Manafe",
                "Tefa",
                "Bria",
                "Laka",
                "Kleden",
                "Lewar",
                "Latuconsina",
                "Pattiasina",
                "Tuhumury",
                "Sahetapy",
                "Sopacua",
                "Tupamahu",
                "Hehanussa",
            ],
            female_last: &[],
        },
    }
}

fn pick<'a>(rng: &mut StdRng, list: &'a [&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or("Budi")
}

/// A full name in a tradition for a person of `gender`.
pub(crate) fn person_name(rng: &mut StdRng, tradition: Tradition, gender: Gender) -> String {
    let p = pool(tradition);
    let female = gender == Gender::Female;
    let given = pick(rng, if female { p.female } else { p.male });
    if tradition == Tradition::Balinese {
        let order = pick(
            rng,
            &[
                "Wayan", "Putu", "Gede", "Made", "Kadek", "Nyoman", "Komang", "Ketut",
            ],
        );
        let (prefix, order) = match (female, order) {
            (true, "Gede") => ("Ni", "Luh"),
            (true, o) => ("Ni", o),
            (false, o) => ("I", o),
        };
        return format!("{prefix} {order} {given}");
    }
    let last_pool = if female && !p.female_last.is_empty() {
        p.female_last
    } else {
        p.male_last
    };
    // A share of Javanese and Minang people carry a single name.
    let single =
        matches!(tradition, Tradition::Javanese | Tradition::Minang) && rng.gen_ratio(1, 6);
    if single || last_pool.is_empty() {
        given.to_string()
    } else {
        format!("{given} {}", pick(rng, last_pool))
    }
}

/// A trading company's name (`PT Sinar Jaya Abadi`, `Toko Berkah Mandiri`).
pub(crate) fn company_name(rng: &mut StdRng) -> String {
    const WORDS: &[&str] = &[
        "Sinar",
        "Jaya",
        "Abadi",
        "Makmur",
        "Sentosa",
        "Berkah",
        "Mandiri",
        "Sejahtera",
        "Maju",
        "Bersama",
        "Karya",
        "Utama",
        "Mulia",
        "Cahaya",
        "Prima",
        "Nusantara",
        "Agung",
        "Lestari",
        "Sumber",
        "Rejeki",
        "Surya",
        "Indah",
        "Harapan",
        "Baru",
    ];
    let form = pick(rng, &["PT", "PT", "CV", "CV", "UD", "Toko"]);
    let first = pick(rng, WORDS);
    let mut second = pick(rng, WORDS);
    if second == first {
        second = "Sentosa";
    }
    if rng.gen_bool(0.5) {
        format!("{form} {first} {second}")
    } else {
        format!("{form} {first} {second} {}", pick(rng, WORDS))
    }
}

/// An employer for a person (or self-employment).
pub(crate) fn employer(rng: &mut StdRng) -> Option<String> {
    const EMPLOYERS: &[&str] = &[
        "PT Telkom Indonesia",
        "PT Astra International",
        "PT Indofood Sukses Makmur",
        "PT Unilever Indonesia",
        "PT Pertamina (Persero)",
        "PT Bank Rakyat Indonesia",
        "RSUD Kota",
        "Dinas Pendidikan",
        "PT Gudang Garam",
        "PT Semen Indonesia",
        "Wiraswasta",
        "Wiraswasta",
        "Pedagang",
        "Ojek daring",
        "PT Matahari Department Store",
        "CV Karya Mandiri",
        "Koperasi Simpan Pinjam",
        "PT Kereta Api Indonesia",
    ];
    rng.gen_bool(0.7).then(|| pick(rng, EMPLOYERS).to_string())
}

/// An e-mail address derived from a name, for some people.
pub(crate) fn email_for(rng: &mut StdRng, name: &str, serial: u64) -> Option<String> {
    if !rng.gen_bool(0.45) {
        return None;
    }
    let local: String = name
        .split_whitespace()
        .take(2)
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphabetic)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .collect::<Vec<_>>()
        .join(".");
    let domain = pick(
        rng,
        &[
            "gmail.com",
            "gmail.com",
            "yahoo.co.id",
            "yahoo.com",
            "outlook.com",
            "mail.id",
        ],
    );
    Some(format!("{local}{}@{domain}", serial % 1000))
}
