package localeenv

import "testing"

func TestFix(t *testing.T) {
	tests := []struct {
		env     map[string]string
		want    string
		changed bool
	}{
		{map[string]string{}, "", false},
		{map[string]string{"LANG": "C"}, "", false},
		{map[string]string{"LC_ALL": "POSIX"}, "", false},
		{map[string]string{"LANG": "en_US.UTF-8"}, "", false},
		{map[string]string{"LANG": "es_419.UTF-8"}, "", false},
		{map[string]string{"LANG": "C.UTF-8"}, "en", true},
		{map[string]string{"LC_ALL": "C.utf8", "LANG": "fr_FR.UTF-8"}, "en", true},
		{map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "fr_FR:de"}, "", false},
		{map[string]string{"LANG": "de_DE@euro"}, "de", true},
		{map[string]string{"LANG": "en_GB.UTF-8", "LANGUAGE": "C:en_GB"}, "en_GB", true},
		{map[string]string{"LANG": "POSIX.UTF-8"}, "en", true},
	}
	for _, tt := range tests {
		got, changed := Fix(func(k string) string { return tt.env[k] })
		if got != tt.want || changed != tt.changed {
			t.Errorf("Fix(%v) = %q, %v; want %q, %v", tt.env, got, changed, tt.want, tt.changed)
		}
	}
}
