package cli

import (
	"fmt"
	"text/tabwriter"

	"studioheadshot/app"
)

func stylesCommand(env Env, args []string) int {
	fs := newFlagSet(env, "styles", "styles")
	if _, err := parse(fs, args); err != nil {
		return usageStatus(err)
	}
	studio, err := app.Open(app.Options{})
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	defer studio.Close()
	for _, p := range studio.UserModelProblems() {
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(p))
	}
	cat := studio.Catalog()
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	// USE comes before the licence so a user sees at a glance which
	// results may be posted or sold: the fns_* style nets' weights are for
	// personal and research use only.
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tUSE\tLICENCE")
	for _, s := range cat.Styles {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Name, s.Kind, s.Use, s.LicenseNote)
	}
	tw.Flush()
	return ExitOK
}
