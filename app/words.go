package app

import "fmt"

// Plural counts a noun in plain English: "1 photo", "2 photos".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
