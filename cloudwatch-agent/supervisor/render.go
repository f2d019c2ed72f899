package main

import (
	"regexp"
	"strings"
)

// entry is one collect_list item: a family's wildcard, or the exact path of a leftover. The
// sidecar deletes files itself, so auto_removal is false in every entry.
type entry struct {
	App      string
	FilePath string
}

// planEntries returns one wildcard entry per family, then one exact entry per leftover on disk
// now (every file of a family but the newest), and the set of those leftovers.
func planEntries(logsDir string, families []familyFiles) ([]entry, map[string]bool) {
	var entries []entry
	covered := map[string]bool{}
	for _, fam := range families {
		entries = append(entries, entry{App: fam.Family.Name, FilePath: logsDir + "/" + fam.Family.Name + ".log.*"})
	}
	for _, fam := range families {
		for _, f := range fam.leftovers() {
			entries = append(entries, entry{App: fam.Family.Name, FilePath: f.Path})
			covered[f.Path] = true
		}
	}
	return entries, covered
}

// renderValues are the values the template's placeholders take; an empty optional one
// (Retention, Region) drops its whole line.
type renderValues struct {
	Group      string
	StreamHost string
	Retention  string
	Region     string
}

var (
	collectListOpen = regexp.MustCompile(`"collect_list": *\[ *$`)
	listClose       = regexp.MustCompile(`^ *\] *,? *$`)
)

// fillLine fills the placeholders of one template line; ok false when the line is dropped
// because an optional value is empty.
func fillLine(line string, v renderValues, e entry, autoRemoval string) (string, bool) {
	if strings.Contains(line, "{{RETENTION_IN_DAYS}}") {
		if v.Retention == "" {
			return "", false
		}
		line = strings.ReplaceAll(line, `"{{RETENTION_IN_DAYS}}"`, v.Retention)
	}
	if strings.Contains(line, "{{AWS_REGION}}") {
		if v.Region == "" {
			return "", false
		}
		line = strings.ReplaceAll(line, "{{AWS_REGION}}", v.Region)
	}
	line = strings.ReplaceAll(line, `"{{AUTO_REMOVAL}}"`, autoRemoval)
	line = strings.ReplaceAll(line, "{{FILE_PATH}}", e.FilePath)
	line = strings.ReplaceAll(line, "{{LOG_GROUP_NAME}}", v.Group)
	line = strings.ReplaceAll(line, "{{LOG_STREAM_HOST}}", v.StreamHost)
	return strings.ReplaceAll(line, "{{APP}}", e.App), true
}

// render returns the config: the template with its collect_list item (the lines between
// `"collect_list": [` and the closing `]`) repeated once per entry, the placeholders filled in,
// and the lines of empty optional values dropped (the template puts them where that leaves
// valid JSON). It ends with one newline.
func render(template string, v renderValues, entries []entry) string {
	lines := strings.Split(strings.TrimSuffix(template, "\n"), "\n")
	var out []string
	emit := func(line string, ok bool) {
		if ok {
			out = append(out, line)
		}
	}
	const (
		head = iota
		item
		tail
	)
	stage := head
	var itemLines []string
	for _, line := range lines {
		switch {
		case stage == head:
			emit(fillLine(line, v, entry{}, ""))
			if collectListOpen.MatchString(line) {
				stage = item
			}
		case stage == item && listClose.MatchString(line):
			for i, e := range entries {
				for j, itemLine := range itemLines {
					filled, ok := fillLine(itemLine, v, e, "false")
					if j == len(itemLines)-1 && i < len(entries)-1 {
						filled += ","
					}
					emit(filled, ok)
				}
			}
			out = append(out, line)
			stage = tail
		case stage == item:
			itemLines = append(itemLines, line)
		default:
			emit(fillLine(line, v, entry{}, ""))
		}
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}

// checkTemplate refuses a template whose collect_list item cannot give each entry its own
// file_path and auto_removal.
func checkTemplate(path, template string) error {
	if !strings.Contains(template, "{{FILE_PATH}}") {
		return failf("template '%s' has no {{FILE_PATH}} placeholder in its collect_list item.", path)
	}
	if !strings.Contains(template, `"{{AUTO_REMOVAL}}"`) {
		return failf(`template '%s' has no "{{AUTO_REMOVAL}}" placeholder in its collect_list item.`, path)
	}
	return nil
}

// checkRendered refuses a config with a placeholder left.
func checkRendered(path, config string) error {
	if strings.Contains(config, "{{") {
		return failf("template '%s' has a placeholder this program does not know.", path)
	}
	return nil
}
