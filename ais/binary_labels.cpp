#include "ais/binary_labels.hpp"

#include <array>
#include <cstddef>

namespace sahil::ais {
namespace {

template <std::size_t N>
std::string_view pick(const std::array<std::string_view, N>& table, unsigned code,
                      std::string_view otherwise) noexcept {
    return code < N ? table[code] : otherwise;
}

/// gpsd 3.27's ERI table: ERI code, the ITU-R M.1371 ship type it maps to, label.
struct EriType {
    unsigned code;
    unsigned itu;
    std::string_view text;
};

constexpr auto eri_types = std::to_array<EriType>({
    {8000, 99, "Vessel, type unknown"},
    {8010, 79, "Motor freighter"},
    {8020, 89, "Motor tanker"},
    {8021, 80, "Motor tanker, liquid cargo, type N"},
    {8022, 80, "Motor tanker, liquid cargo, type C"},
    {8023, 89, "Motor tanker, dry cargo as if liquid (e.g. cement)"},
    {8030, 79, "Container vessel"},
    {8040, 80, "Gas tanker"},
    {8050, 79, "Motor freighter, tug"},
    {8060, 89, "Motor tanker, tug"},
    {8070, 79, "Motor freighter with one or more ships alongside"},
    {8080, 89, "Motor freighter with tanker"},
    {8090, 79, "Motor freighter pushing one or more freighters"},
    {8100, 89, "Motor freighter pushing at least one tank-ship"},
    {8110, 79, "Tug, freighter"},
    {8120, 89, "Tug, tanker"},
    {8130, 31, "Tug freighter, coupled"},
    {8140, 31, "Tug, freighter/tanker, coupled"},
    {8150, 99, "Freightbarge"},
    {8160, 99, "Tankbarge"},
    {8161, 90, "Tankbarge, liquid cargo, type N"},
    {8162, 90, "Tankbarge, liquid cargo, type C"},
    {8163, 99, "Tankbarge, dry cargo as if liquid (e.g. cement)"},
    {8170, 99, "Freightbarge with containers"},
    {8180, 90, "Tankbarge, gas"},
    {8210, 79, "Pushtow, one cargo barge"},
    {8220, 79, "Pushtow, two cargo barges"},
    {8230, 79, "Pushtow, three cargo barges"},
    {8240, 79, "Pushtow, four cargo barges"},
    {8250, 79, "Pushtow, five cargo barges"},
    {8260, 79, "Pushtow, six cargo barges"},
    {8270, 79, "Pushtow, seven cargo barges"},
    {8280, 79, "Pushtow, eigth cargo barges"},
    {8290, 79, "Pushtow, nine or more barges"},
    {8310, 80, "Pushtow, one tank/gas barge"},
    {8320, 80, "Pushtow, two barges at least one tanker or gas barge"},
    {8330, 80, "Pushtow, three barges at least one tanker or gas barge"},
    {8340, 80, "Pushtow, four barges at least one tanker or gas barge"},
    {8350, 80, "Pushtow, five barges at least one tanker or gas barge"},
    {8360, 80, "Pushtow, six barges at least one tanker or gas barge"},
    {8370, 80, "Pushtow, seven barges at least one tanker or gas barg"},
}); // gpsd 3.27 has no entries for the other ERI codes: they print as illegal

constexpr std::array<std::string_view, 6> hazard_texts{
    "0 blue cones/lights", "1 blue cone/light", "2 blue cones/lights",
    "3 blue cones/lights", "4 B-Flag",          "Unknown",
};

constexpr std::array<std::string_view, 3> loaded_texts{"N/A (default)", "Unloaded", "Loaded"};

constexpr std::array<std::string_view, 4> racon_texts{"No RACON installed", "RACON not monitored",
                                                      "RACON operational", "RACON ERROR"};

constexpr std::array<std::string_view, 4> light_texts{"No light or no monitoring", "Light ON",
                                                      "Light OFF", "Light ERROR"};

// IMO SN/Circ.236 Annex 2 and SN.1/Circ.289 Table 1.1: 1 = decreasing, 2 = increasing.
constexpr std::array<std::string_view, 4> trend_texts{"steady", "decreasing", "increasing", "N/A"};

constexpr std::array<std::string_view, 8> precipitation_texts{
    "reserved", "rain", "thunderstorm", "freezing rain", "mixed/ice", "snow", "reserved", "N/A"};

constexpr std::array<std::string_view, 4> ice_texts{"no", "yes", "reserved", "N/A"};

constexpr std::array<std::string_view, 8> shape_texts{"Circle or point", "Rectangle", "Sector",
                                                      "Polyline",        "Polygon",   "Text",
                                                      "Reserved 6",      "Reserved 7"};

struct Notice {
    unsigned code;
    std::string_view text;
};

// IMO SN.1/Circ.289 Table 11.2; codes not listed are "(reserved for future use)".
constexpr auto notice_texts = std::to_array<Notice>({
    {0, "Caution Area: Marine mammals habitat"},
    {1, "Caution Area: Marine mammals in area - reduce speed"},
    {2, "Caution Area: Marine mammals in area - stay clear"},
    {3, "Caution Area: Marine mammals in area - report sightings"},
    {4, "Caution Area: Protected habitat - reduce speed"},
    {5, "Caution Area: Protected habitat - stay clear"},
    {6, "Caution Area: Protected habitat - no fishing or anchoring"},
    {7, "Caution Area: Derelicts (drifting objects)"},
    {8, "Caution Area: Traffic congestion"},
    {9, "Caution Area: Marine event"},
    {10, "Caution Area: Divers down"},
    {11, "Caution Area: Swim area"},
    {12, "Caution Area: Dredge operations"},
    {13, "Caution Area: Survey operations"},
    {14, "Caution Area: Underwater operation"},
    {15, "Caution Area: Seaplane operations"},
    {16, "Caution Area: Fishery - nets in water"},
    {17, "Caution Area: Cluster of fishing vessels"},
    {18, "Caution Area: Fairway closed"},
    {19, "Caution Area: Harbour closed"},
    {20, "Caution Area: Risk (define in Associated text field)"},
    {21, "Caution Area: Underwater vehicle operation"},
    {23, "Environmental Caution Area: Storm front (line squall)"},
    {24, "Environmental Caution Area: Hazardous sea ice"},
    {25, "Environmental Caution Area: Storm warning (cell or line of storms)"},
    {26, "Environmental Caution Area: High wind"},
    {27, "Environmental Caution Area: High waves"},
    {28, "Environmental Caution Area: Restricted visibility (fog, rain, etc.)"},
    {29, "Environmental Caution Area: Strong currents"},
    {30, "Environmental Caution Area: Heavy icing"},
    {32, "Restricted Area: Fishing prohibited"},
    {33, "Restricted Area: No anchoring"},
    {34, "Restricted Area: Entry approval required prior to transit"},
    {35, "Restricted Area: Entry prohibited"},
    {36, "Restricted Area: Active military OPAREA"},
    {37, "Restricted Area: Firing - danger area"},
    {38, "Restricted Area: Drifting Mines"},
    {40, "Anchorage Area: Anchorage open"},
    {41, "Anchorage Area: Anchorage closed"},
    {42, "Anchorage Area: Anchoring prohibited"},
    {43, "Anchorage Area: Deep draft anchorage"},
    {44, "Anchorage Area: Shallow draft anchorage"},
    {45, "Anchorage Area: Vessel transfer operations"},
    {56, "Security Alert - Level 1"},
    {57, "Security Alert - Level 2"},
    {58, "Security Alert - Level 3"},
    {64, "Distress Area: Vessel disabled and adrift"},
    {65, "Distress Area: Vessel sinking"},
    {66, "Distress Area: Vessel abandoning ship"},
    {67, "Distress Area: Vessel requests medical assistance"},
    {68, "Distress Area: Vessel flooding"},
    {69, "Distress Area: Vessel fire/explosion"},
    {70, "Distress Area: Vessel grounding"},
    {71, "Distress Area: Vessel collision"},
    {72, "Distress Area: Vessel listing/capsizing"},
    {73, "Distress Area: Vessel under assault"},
    {74, "Distress Area: Person overboard"},
    {75, "Distress Area: SAR area"},
    {76, "Distress Area: Pollution response area"},
    {80, "Instruction: Contact VTS at this point/juncture"},
    {81, "Instruction: Contact Port Administration at this point/juncture"},
    {82, "Instruction: Do not proceed beyond this point/juncture"},
    {83, "Instruction: Await instructions prior to proceeding beyond this point/juncture"},
    {84, "Proceed to this location - await instructions"},
    {85, "Clearance granted - proceed to berth"},
    {88, "Information: Pilot boarding position"},
    {89, "Information: Icebreaker waiting area"},
    {90, "Information: Places of refuge"},
    {91, "Information: Position of icebreakers"},
    {92, "Information: Location of response units"},
    {93, "VTS active target"},
    {94, "Rogue or suspicious vessel"},
    {95, "Vessel requesting non-distress assistance"},
    {96, "Chart Feature: Sunken vessel"},
    {97, "Chart Feature: Submerged object"},
    {98, "Chart Feature: Semi-submerged object"},
    {99, "Chart Feature: Shoal area"},
    {100, "Chart Feature: Shoal area due north"},
    {101, "Chart Feature: Shoal area due east"},
    {102, "Chart Feature: Shoal area due south"},
    {103, "Chart Feature: Shoal area due west"},
    {104, "Chart Feature: Channel obstruction"},
    {105, "Chart Feature: Reduced vertical clearance"},
    {106, "Chart Feature: Bridge closed"},
    {107, "Chart Feature: Bridge partially open"},
    {108, "Chart Feature: Bridge fully open"},
    {112, "Report from ship: Icing info"},
    {114, "Report from ship: Miscellaneous information - define in associated text field"},
    {120, "Route: Recommended route"},
    {121, "Route: Alternative route"},
    {122, "Route: Recommended route through ice"},
    {125, "Other - Define in associated text field"},
    {126, "Cancellation - cancel area as identified by Message Linkage ID"},
    {127, "Undefined (default)"},
});

} // namespace

std::string_view eri_ship_type_text(unsigned code) noexcept {
    for (const EriType& t : eri_types) {
        if (t.code == code || t.itu == code) {
            return t.text;
        }
    }
    return "Illegal ship type value.";
}

std::string_view inland_hazard_text(unsigned code) noexcept {
    return pick(hazard_texts, code, "INVALID HAZARD TYPE");
}

std::string_view inland_loaded_text(unsigned code) noexcept {
    return pick(loaded_texts, code, "INVALID LOAD STATUS");
}

std::string_view racon_status_text(unsigned code) noexcept {
    return pick(racon_texts, code, "INVALID RACON STATUS");
}

std::string_view light_status_text(unsigned code) noexcept {
    return pick(light_texts, code, "INVALID LIGHT STATUS");
}

std::string_view meteo_trend_text(unsigned code) noexcept {
    return pick(trend_texts, code, "N/A");
}

std::string_view precipitation_text(unsigned code) noexcept {
    return pick(precipitation_texts, code, "N/A");
}

std::string_view ice_text(unsigned code) noexcept {
    return pick(ice_texts, code, "N/A");
}

std::string_view area_notice_text(unsigned code) noexcept {
    for (const Notice& n : notice_texts) {
        if (n.code == code) {
            return n.text;
        }
    }
    return "(reserved for future use)";
}

std::string_view area_shape_text(unsigned code) noexcept {
    return pick(shape_texts, code, "Reserved");
}

} // namespace sahil::ais
