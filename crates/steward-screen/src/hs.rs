//! Harmonized System codes to the List of Goods' own words, so a supplier described by an HS or
//! HTS code ("520100", "8541.43") is checked like one described in words ("cotton", "solar
//! modules"). Steward's own table, written from the public HS nomenclature: the most specific
//! prefix that matches wins (a six-digit subheading before its four-digit heading before its
//! chapter).

/// (HS prefix, the List of Goods' names for what it covers)
const TABLE: &[(&str, &[&str])] = &[
    ("0102", &["Cattle", "Bovines"]),
    ("0103", &["Hogs"]),
    ("0104", &["Sheep", "Goats"]),
    ("0105", &["Poultry"]),
    ("0201", &["Beef", "Meat"]),
    ("0202", &["Beef", "Meat"]),
    ("02", &["Meat"]),
    ("0302", &["Fish"]),
    ("0303", &["Fish"]),
    ("0304", &["Fish"]),
    ("0305", &["Dried Fish", "Fish"]),
    ("030612", &["Lobsters", "Shellfish"]),
    ("030616", &["Shrimp", "Shellfish"]),
    ("030617", &["Shrimp", "Shellfish"]),
    ("0306", &["Shellfish"]),
    ("04", &["Dairy Products"]),
    ("0603", &["Flowers"]),
    ("0701", &["Potatoes"]),
    ("0702", &["Tomatoes"]),
    ("070310", &["Onions"]),
    ("070320", &["Garlic"]),
    ("0704", &["Cabbages", "Broccoli"]),
    ("0705", &["Lettuce"]),
    ("0706", &["Carrots"]),
    ("0707", &["Cucumbers"]),
    ("0708", &["Beans"]),
    ("070930", &["Eggplants"]),
    ("070960", &["Peppers", "Chile Peppers"]),
    ("0713", &["Pulses", "Beans"]),
    ("071410", &["Manioc/Cassava"]),
    ("071420", &["Sweet Potatoes"]),
    ("080121", &["Brazil Nuts"]),
    ("080131", &["Cashews"]),
    ("080111", &["Coconuts"]),
    ("080112", &["Coconuts"]),
    ("0802", &["Hazelnuts"]),
    ("0803", &["Bananas"]),
    ("080430", &["Pineapples"]),
    ("0805", &["Citrus Fruits"]),
    ("0806", &["Grapes"]),
    ("0807", &["Melons"]),
    ("081010", &["Strawberries"]),
    ("081040", &["Blueberries"]),
    ("0901", &["Coffee"]),
    ("0902", &["Tea"]),
    ("0903", &["Yerba Mate"]),
    ("0904", &["Pepper", "Chile Peppers"]),
    ("0905", &["Vanilla"]),
    ("0907", &["Cloves"]),
    ("0909", &["Cumin"]),
    ("1001", &["Wheat", "Cereal Grains"]),
    ("1005", &["Corn", "Cereal Grains"]),
    ("1006", &["Rice", "Cereal Grains"]),
    ("1202", &["Peanuts"]),
    ("1206", &["Sunflowers"]),
    ("1207", &["Sesame"]),
    ("121291", &["Sugar Beets"]),
    ("121293", &["Sugarcane"]),
    ("1511", &["Crude Palm Oil", "Refined Palm Oil", "Palm Fruit"]),
    ("1513", &["Crude Palm Kernel Oil", "Refined Palm Kernel Oil"]),
    ("1701", &["Sugarcane"]),
    ("18", &["Cocoa"]),
    ("1905", &["Baked Goods"]),
    ("2002", &["Tomato Products"]),
    ("2208", &["Alcoholic Beverages"]),
    ("2401", &["Tobacco"]),
    ("2402", &["Tobacco", "Bidis"]),
    ("2501", &["Salt"]),
    ("2505", &["Sand"]),
    ("251611", &["Granite"]),
    ("251612", &["Granite"]),
    ("251620", &["Sandstone"]),
    ("2517", &["Gravel", "Stones"]),
    ("2520", &["Gypsum"]),
    ("2523", &["Cement"]),
    ("2529", &["Fluorspar"]),
    ("2601", &["Iron"]),
    ("2603", &["Copper"]),
    ("2605", &["Cobalt ore"]),
    ("2608", &["Zinc"]),
    ("2609", &["Tin ore", "Tin"]),
    ("2611", &["Tungsten ore"]),
    ("261590", &["Tantalum ore"]),
    ("2701", &["Coal"]),
    ("280461", &["Polysilicon"]),
    ("3401", &["Soap"]),
    ("3604", &["Fireworks", "Pyrotechnics"]),
    ("3605", &["Matches"]),
    ("3818", &["Photovoltaic Wafers"]),
    ("3823", &["Oleochemicals"]),
    ("4001", &["Rubber"]),
    ("4015", &["Rubber Gloves", "Gloves"]),
    ("41", &["Leather"]),
    ("42", &["Leather Goods/Accessories", "Fashion Accessories"]),
    ("4402", &["Charcoal"]),
    ("4403", &["Timber"]),
    ("4407", &["Timber", "Teak"]),
    ("5001", &["Silk Cocoons"]),
    ("5004", &["Silk Thread"]),
    ("5005", &["Silk Thread"]),
    ("5006", &["Silk Thread"]),
    ("5007", &["Silk Fabric"]),
    ("5201", &["Cotton"]),
    ("5202", &["Cotton"]),
    ("5203", &["Cotton"]),
    ("5204", &["Thread/Yarn", "Cotton"]),
    ("5205", &["Thread/Yarn", "Cotton"]),
    ("5206", &["Thread/Yarn", "Cotton"]),
    ("5207", &["Thread/Yarn", "Cotton"]),
    ("52", &["Textiles", "Cotton"]),
    ("5303", &["Jute"]),
    ("5305", &["Sisal"]),
    ("57", &["Carpets"]),
    ("61", &["Garments"]),
    ("6116", &["Gloves", "Garments"]),
    ("62", &["Garments"]),
    ("6216", &["Gloves", "Garments"]),
    ("63", &["Textiles"]),
    ("64", &["Footwear"]),
    ("6702", &["Artificial Flowers"]),
    ("6802", &["Stones"]),
    ("6901", &["Bricks"]),
    ("6904", &["Bricks"]),
    ("69", &["Ceramics"]),
    ("7018", &["Glass Bangles", "Glass"]),
    ("70", &["Glass"]),
    ("7102", &["Diamonds"]),
    ("7103", &["Gems", "Emeralds", "Rubies", "Sapphires"]),
    ("7106", &["Silver"]),
    ("7108", &["Gold"]),
    ("7317", &["Nails"]),
    ("7418", &["Brassware"]),
    ("8301", &["Locks"]),
    ("850760", &["Lithium-Ion Batteries"]),
    ("854142", &["Solar Cells"]),
    ("854143", &["Solar Modules"]),
    ("854140", &["Solar Cells", "Solar Modules"]),
    ("8471", &["Electronics"]),
    ("8517", &["Electronics"]),
    ("8542", &["Electronics"]),
    ("9018", &["Surgical Instruments"]),
    ("9403", &["Furniture"]),
    ("9503", &["Toys"]),
    ("9505", &["Christmas Decorations"]),
    ("950662", &["Soccer Balls"]),
];

/// The List of Goods' names for what an HS code covers (digits, with or without dots or spaces);
/// empty for codes of fewer than four digits or not in the table.
pub fn goods_for(code: &str) -> &'static [&'static str] {
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 || digits.len() > 12 {
        return &[];
    }
    TABLE
        .iter()
        .filter(|(prefix, _)| digits.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map_or(&[], |(_, goods)| goods)
}

/// The HS codes written in a text: tokens of four to twelve digits, dots allowed between them.
pub fn codes_in(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|t| t.trim_matches('.'))
        .filter(|t| {
            let n = t.chars().filter(char::is_ascii_digit).count();
            (4..=12).contains(&n)
        })
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_heading_wins() {
        assert_eq!(goods_for("5201.00"), ["Cotton"]);
        assert_eq!(goods_for("520812"), ["Textiles", "Cotton"]);
        assert_eq!(goods_for("2804.61.0000"), ["Polysilicon"]);
        assert_eq!(goods_for("8541.43"), ["Solar Modules"]);
        assert_eq!(goods_for("61"), [] as [&str; 0], "two digits are too vague");
        assert_eq!(codes_in("HS 5201.00; 6109.10 (t-shirts), lot 12"), ["5201.00", "6109.10"]);
    }
}
