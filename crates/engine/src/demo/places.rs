//! Where demo debtors live: every province with a population weight, a few of its cities
//! with their regency codes (digits 3–4 of a NIK), and the name traditions common there.

use sepakat_domain::Province;

use super::people::Tradition::{self, *};

/// A province's demo data.
pub(crate) struct Place {
    /// The province.
    pub(crate) province: Province,
    /// Population in hundreds of thousands (2020 census, rounded; new Papua provinces
    /// estimated): the weight of the province when drawing addresses.
    pub(crate) weight: u32,
    /// Cities and regencies with their two-digit regency codes.
    pub(crate) cities: &'static [(&'static str, u8)],
    /// Name traditions with their weights.
    pub(crate) traditions: &'static [(Tradition, u32)],
}

macro_rules! places {
    ($($p:ident, $w:literal, [$(($c:literal, $code:literal)),+], [$(($t:ident, $tw:literal)),+];)*) => {
        /// Every province, in BPS order.
        pub(crate) const PLACES: &[Place] = &[$(Place {
            province: Province::$p,
            weight: $w,
            cities: &[$(($c, $code)),+],
            traditions: &[$(($t, $tw)),+],
        },)*];
    };
}

places! {
    Aceh, 53, [("Kota Banda Aceh", 71), ("Kota Lhokseumawe", 73), ("Kab. Aceh Besar", 6)], [(Malay, 10)];
    SumateraUtara, 148, [("Kota Medan", 71), ("Kota Pematangsiantar", 72), ("Kab. Deli Serdang", 7), ("Kab. Toba", 12)], [(Batak, 6), (Malay, 2), (Javanese, 2), (Chinese, 1)];
    SumateraBarat, 55, [("Kota Padang", 71), ("Kota Bukittinggi", 75), ("Kab. Agam", 6)], [(Minang, 10)];
    Riau, 64, [("Kota Pekanbaru", 71), ("Kota Dumai", 72), ("Kab. Kampar", 6)], [(Malay, 5), (Minang, 2), (Javanese, 2), (Batak, 1)];
    Jambi, 35, [("Kota Jambi", 71), ("Kab. Muaro Jambi", 5)], [(Malay, 6), (Javanese, 3)];
    SumateraSelatan, 85, [("Kota Palembang", 71), ("Kota Prabumulih", 74), ("Kab. Ogan Ilir", 10)], [(Malay, 7), (Javanese, 2), (Chinese, 1)];
    Bengkulu, 20, [("Kota Bengkulu", 71), ("Kab. Rejang Lebong", 2)], [(Malay, 7), (Javanese, 2)];
    Lampung, 90, [("Kota Bandar Lampung", 71), ("Kota Metro", 72), ("Kab. Lampung Tengah", 2)], [(Javanese, 6), (Malay, 3), (Sundanese, 1)];
    BangkaBelitung, 15, [("Kota Pangkalpinang", 71), ("Kab. Belitung", 2)], [(Malay, 6), (Chinese, 4)];
    KepulauanRiau, 21, [("Kota Batam", 71), ("Kota Tanjungpinang", 72)], [(Malay, 4), (Chinese, 2), (Batak, 2), (Javanese, 2)];
    DkiJakarta, 106, [("Kota Jakarta Selatan", 71), ("Kota Jakarta Timur", 72), ("Kota Jakarta Pusat", 73), ("Kota Jakarta Barat", 74), ("Kota Jakarta Utara", 75)], [(Javanese, 4), (Malay, 2), (Sundanese, 2), (Chinese, 2), (Batak, 1), (Minang, 1)];
    JawaBarat, 483, [("Kab. Bogor", 1), ("Kab. Bandung", 4), ("Kab. Garut", 5), ("Kota Bandung", 73), ("Kota Bekasi", 75), ("Kota Depok", 76), ("Kota Tasikmalaya", 78)], [(Sundanese, 8), (Javanese, 2)];
    JawaTengah, 365, [("Kab. Cilacap", 1), ("Kab. Banyumas", 2), ("Kota Semarang", 74), ("Kota Surakarta", 72), ("Kab. Klaten", 10), ("Kab. Kudus", 19)], [(Javanese, 9), (Chinese, 1)];
    DiYogyakarta, 37, [("Kota Yogyakarta", 71), ("Kab. Sleman", 4), ("Kab. Bantul", 2)], [(Javanese, 10)];
    JawaTimur, 410, [("Kota Surabaya", 78), ("Kota Malang", 73), ("Kab. Sidoarjo", 15), ("Kab. Jember", 9), ("Kota Kediri", 71)], [(Javanese, 9), (Chinese, 1)];
    Banten, 119, [("Kota Tangerang", 71), ("Kota Serang", 73), ("Kab. Tangerang", 3), ("Kota Tangerang Selatan", 74)], [(Sundanese, 5), (Javanese, 3), (Chinese, 1)];
    Bali, 43, [("Kota Denpasar", 71), ("Kab. Badung", 3), ("Kab. Gianyar", 4), ("Kab. Buleleng", 8)], [(Balinese, 9), (Javanese, 1)];
    NusaTenggaraBarat, 53, [("Kota Mataram", 71), ("Kab. Lombok Timur", 3), ("Kota Bima", 72)], [(Malay, 10)];
    NusaTenggaraTimur, 53, [("Kota Kupang", 71), ("Kab. Sikka", 7), ("Kab. Manggarai", 10)], [(EasternChristian, 10)];
    KalimantanBarat, 54, [("Kota Pontianak", 71), ("Kota Singkawang", 72), ("Kab. Sanggau", 3)], [(Malay, 5), (Chinese, 3), (EasternChristian, 2)];
    KalimantanTengah, 27, [("Kota Palangka Raya", 71), ("Kab. Kotawaringin Timur", 2)], [(Malay, 5), (Javanese, 3), (EasternChristian, 2)];
    KalimantanSelatan, 41, [("Kota Banjarmasin", 71), ("Kota Banjarbaru", 72), ("Kab. Banjar", 3)], [(Malay, 8), (Javanese, 2)];
    KalimantanTimur, 38, [("Kota Samarinda", 72), ("Kota Balikpapan", 71), ("Kab. Kutai Kartanegara", 2)], [(Javanese, 4), (Bugis, 3), (Malay, 3)];
    KalimantanUtara, 7, [("Kota Tarakan", 71), ("Kab. Bulungan", 2)], [(Bugis, 5), (Malay, 5)];
    SulawesiUtara, 26, [("Kota Manado", 71), ("Kota Bitung", 72), ("Kab. Minahasa", 2)], [(Minahasa, 10)];
    SulawesiTengah, 30, [("Kota Palu", 71), ("Kab. Poso", 2)], [(Bugis, 7), (Malay, 3)];
    SulawesiSelatan, 91, [("Kota Makassar", 71), ("Kota Parepare", 72), ("Kab. Gowa", 6), ("Kab. Bone", 8)], [(Bugis, 10)];
    SulawesiTenggara, 26, [("Kota Kendari", 71), ("Kota Baubau", 72)], [(Bugis, 8), (Malay, 2)];
    Gorontalo, 12, [("Kota Gorontalo", 71), ("Kab. Gorontalo", 1)], [(Malay, 7), (Bugis, 3)];
    SulawesiBarat, 14, [("Kab. Mamuju", 4), ("Kab. Polewali Mandar", 2)], [(Bugis, 10)];
    Maluku, 18, [("Kota Ambon", 71), ("Kota Tual", 72)], [(EasternChristian, 6), (Malay, 4)];
    MalukuUtara, 13, [("Kota Ternate", 71), ("Kota Tidore Kepulauan", 72)], [(Malay, 7), (EasternChristian, 3)];
    Papua, 10, [("Kota Jayapura", 71), ("Kab. Jayapura", 3), ("Kab. Biak Numfor", 6)], [(Papuan, 8), (Javanese, 1), (Bugis, 1)];
    PapuaBarat, 6, [("Kab. Manokwari", 2), ("Kab. Fakfak", 3)], [(Papuan, 7), (Bugis, 2), (Javanese, 1)];
    PapuaSelatan, 5, [("Kab. Merauke", 1), ("Kab. Mappi", 3)], [(Papuan, 6), (Javanese, 4)];
    PapuaTengah, 14, [("Kab. Mimika", 1), ("Kab. Nabire", 4)], [(Papuan, 8), (Bugis, 1), (Javanese, 1)];
    PapuaPegunungan, 14, [("Kab. Jayawijaya", 1), ("Kab. Lanny Jaya", 3)], [(Papuan, 10)];
    PapuaBaratDaya, 6, [("Kota Sorong", 71), ("Kab. Raja Ampat", 5)], [(Papuan, 7), (Bugis, 2), (Javanese, 1)];
}

/// Street names used for addresses everywhere.
pub(crate) const STREETS: &[&str] = &[
    "Jl. Merdeka",
    "Jl. Sudirman",
    "Jl. Diponegoro",
    "Jl. Gajah Mada",
    "Jl. Ahmad Yani",
    "Jl. Pahlawan",
    "Jl. Kartini",
    "Jl. Imam Bonjol",
    "Jl. Veteran",
    "Jl. Cempaka",
    "Jl. Melati",
    "Jl. Mawar",
    "Jl. Kenanga",
    "Jl. Flamboyan",
    "Jl. Teuku Umar",
    "Jl. Hasanuddin",
    "Jl. Pattimura",
    "Jl. Sisingamangaraja",
    "Jl. Raya Pasar",
    "Jl. Pemuda",
    "Jl. Nusantara",
    "Jl. Cendrawasih",
    "Jl. Rajawali",
    "Jl. Kemuning",
    "Jl. Delima",
    "Gg. Masjid",
    "Gg. Sawo",
    "Jl. Mangga Dua",
    "Jl. Bougenville",
    "Jl. Anggrek",
];

/// Kelurahan/desa names, generic enough for any province.
pub(crate) const VILLAGES: &[&str] = &[
    "Sukamaju",
    "Sukajadi",
    "Mekarsari",
    "Karang Anyar",
    "Sidomulyo",
    "Tanjung Harapan",
    "Sumber Rejo",
    "Kebon Jeruk",
    "Suka Damai",
    "Harapan Jaya",
    "Margo Mulyo",
    "Bukit Indah",
    "Pasar Baru",
    "Kampung Baru",
    "Talang Jawa",
    "Bumi Ayu",
    "Wonorejo",
    "Tegal Rejo",
    "Kota Baru",
    "Air Hitam",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_province_has_a_place() {
        assert_eq!(PLACES.len(), Province::ALL.len());
        for (place, province) in PLACES.iter().zip(Province::ALL) {
            assert_eq!(place.province, *province);
        }
    }
}
