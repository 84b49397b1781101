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
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tLICENCE")
	for _, s := range cat.Styles {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, s.Name, s.Kind, s.LicenseNote)
	}
	tw.Flush()
	return ExitOK
}
