package app

// Outputs lists what a photo holds in a look: "" for the main output, then
// the others by name in the order made ("candy", …, "sheet" for an avatar
// pack). Empty when the photo has no result in the look.
func (l *Library) Outputs(id PhotoID, look string) []string {
	results, err := l.vault.Results(id)
	if err != nil {
		return nil
	}
	var main bool
	var others []string
	seen := map[string]bool{}
	for _, r := range results {
		lk, out := SplitResultName(r.Style)
		if lk != look || seen[out] {
			continue
		}
		seen[out] = true
		if out == "" {
			main = true
		} else {
			others = append(others, out)
		}
	}
	if !main {
		return nil
	}
	return append([]string{""}, others...)
}
