package main

import (
	"sort"
	"strings"
	"time"
)

// The period suffixes pino-cloudwatch-file writes: a day, an hour, a second (sub-hour periods).
var suffixLayouts = []struct {
	style  string
	layout string
}{
	{"day", "2006-01-02"},
	{"hour", "2006-01-02_15"},
	{"second", "2006-01-02_15-04-05"},
}

// suffixStyle returns the style of a period suffix ("day", "hour", "second"), or "" when it is
// not one: exactly YYYY-MM-DD, YYYY-MM-DD_HH or YYYY-MM-DD_HH-MM-SS, a real calendar time from
// 1970 on. The text must round-trip, so no other spelling of the same time counts.
func suffixStyle(suffix string) string {
	for _, candidate := range suffixLayouts {
		if len(suffix) != len(candidate.layout) {
			continue
		}
		at, err := time.Parse(candidate.layout, suffix)
		if err != nil || at.Year() < 1970 || at.Format(candidate.layout) != suffix {
			continue
		}
		return candidate.style
	}
	return ""
}

// memberSuffix returns the period suffix of a file name of family base, and whether the name
// belongs to that family (<base>.log.<suffix>).
func memberSuffix(base, name string) (string, bool) {
	prefix := base + ".log."
	if !strings.HasPrefix(name, prefix) {
		return "", false
	}
	suffix := name[len(prefix):]
	return suffix, suffixStyle(suffix) != ""
}

// familyMembers returns the names of family base among names, sorted: their suffixes sort by
// period, so the last is the newest.
func familyMembers(base string, names []string) []string {
	var members []string
	for _, name := range names {
		if _, ok := memberSuffix(base, name); ok {
			members = append(members, name)
		}
	}
	sort.Strings(members)
	return members
}

// newestMember returns the greatest name of family base among names, or "" when none belongs.
func newestMember(base string, names []string) string {
	members := familyMembers(base, names)
	if len(members) == 0 {
		return ""
	}
	return members[len(members)-1]
}
