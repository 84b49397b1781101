package face

import "studioheadshot/models"

// DPI is the print resolution every passport preset is made for.
const DPI = 300

// Rules are a passport office's rules for the head in the photo, in
// millimetres of the print.
type Rules struct {
	Name              string // as the look list shows it
	WidthMM, HeightMM float64
	// HeadMM is the allowed head height, chin to crown (hair included).
	HeadMM [2]float64
	// EyesMM is the allowed height of the eye line above the bottom edge;
	// zero where the office sets none.
	EyesMM [2]float64
}

// Px is mm at DPI, in output pixels.
func Px(mm float64) float64 { return mm / 25.4 * DPI }

// passport makes the preset for r: the head at the middle of its allowed
// height with the crown crown of the height below the top.
func passport(r Rules, crown float64) Preset {
	return Preset{
		Width: int(Px(r.WidthMM) + 0.5), Height: int(Px(r.HeightMM) + 0.5),
		Head: (r.HeadMM[0] + r.HeadMM[1]) / 2 / r.HeightMM, Crown: crown, Rules: &r,
	}
}

// The offices' published rules (checked 2026-12):
//   - EU/Schengen: 35×45 mm, head 32–36 mm chin to crown (ICAO 9303 part 3
//     photo guidelines as the Schengen states apply them, e.g. the German
//     Bundesdruckerei's Passbild-Schablone).
//   - US: 2×2 in, head 1–1⅜ in, eyes 1⅛–1⅜ in above the bottom
//     (travel.state.gov, "Photo Requirements").
//   - UK: 35×45 mm, crown to chin 29–34 mm (gov.uk/photos-for-passports).
//   - Canada: 50×70 mm, chin to crown 31–36 mm (canada.ca, "Canadian
//     passport photos").
//   - India: 35×45 mm, head about 75 % of the height, taken as ICAO's
//     70–80 %, 31.5–36 mm (passportindia.gov.in photo specification; the
//     Seva Kendras want a white backdrop).
var (
	PassportEU = passport(Rules{Name: "EU/Schengen 35×45 mm", WidthMM: 35, HeightMM: 45, HeadMM: [2]float64{32, 36}}, 0.08)
	PassportUS = passport(Rules{Name: "US 2×2 in", WidthMM: 50.8, HeightMM: 50.8,
		HeadMM: [2]float64{25.4, 34.925}, EyesMM: [2]float64{28.575, 34.925}}, 0.1)
	PassportUK = passport(Rules{Name: "UK 35×45 mm", WidthMM: 35, HeightMM: 45, HeadMM: [2]float64{29, 34}}, 0.1)
	PassportCA = passport(Rules{Name: "Canada 50×70 mm", WidthMM: 50, HeightMM: 70, HeadMM: [2]float64{31, 36}}, 0.14)
	PassportIN = passport(Rules{Name: "India 35×45 mm", WidthMM: 35, HeightMM: 45, HeadMM: [2]float64{31.5, 36}}, 0.08)
)

func init() {
	for id, p := range map[string]Preset{
		models.FramePassport: PassportEU, models.FramePassportEU: PassportEU, models.FramePassportUS: PassportUS,
		models.FramePassportUK: PassportUK, models.FramePassportCA: PassportCA, models.FramePassportIN: PassportIN,
	} {
		Presets[id] = p
	}
}
