package main

import (
	"encoding/json"
	"os"
	"testing"
)

// The shared test vectors in ../testdata (also read by the TypeScript tests).

type familyVectors struct {
	Base  string `json:"base"`
	Names []struct {
		Name  string  `json:"name"`
		Style *string `json:"style"`
	} `json:"names"`
	Newest []struct {
		About  string   `json:"about"`
		Names  []string `json:"names"`
		Newest *string  `json:"newest"`
	} `json:"newest"`
}

type stateVectors struct {
	Names []struct {
		Path      string `json:"path"`
		StateFile string `json:"stateFile"`
	} `json:"names"`
	Texts []struct {
		Path     string `json:"path"`
		Text     string `json:"text"`
		Offset   *int64 `json:"offset"`
		Uploaded *int64 `json:"uploaded"`
	} `json:"texts"`
}

func readVectors(t *testing.T, name string, into interface{}) {
	t.Helper()
	text, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(text, into); err != nil {
		t.Fatal(err)
	}
}

func TestFamilyRuleFromVectors(t *testing.T) {
	var v familyVectors
	readVectors(t, "family-names.json", &v)
	if len(v.Names) == 0 {
		t.Fatal("no names in family-names.json")
	}
	for _, c := range v.Names {
		want := ""
		if c.Style != nil {
			want = *c.Style
		}
		got := ""
		if suffix, ok := memberSuffix(v.Base, c.Name); ok {
			got = suffixStyle(suffix)
		}
		if got != want {
			t.Errorf("%q: style %q, want %q", c.Name, got, want)
		}
	}
}

func TestNewestFromVectors(t *testing.T) {
	var v familyVectors
	readVectors(t, "family-names.json", &v)
	for _, c := range v.Newest {
		want := ""
		if c.Newest != nil {
			want = *c.Newest
		}
		if got := newestMember(v.Base, c.Names); got != want {
			t.Errorf("%s: newest %q, want %q", c.About, got, want)
		}
	}
}

func TestStateFileNamesFromVectors(t *testing.T) {
	var v stateVectors
	readVectors(t, "agent-state.json", &v)
	for _, c := range v.Names {
		if got := stateFileName(c.Path); got != c.StateFile {
			t.Errorf("%q: state file %q, want %q", c.Path, got, c.StateFile)
		}
	}
}

func TestStateTextsFromVectors(t *testing.T) {
	var v stateVectors
	readVectors(t, "agent-state.json", &v)
	for _, c := range v.Texts {
		offset, ok := savedOffset(c.Text)
		if (c.Offset == nil) == ok || ok && offset != *c.Offset {
			t.Errorf("%q: offset %d (%v), want %v", c.Text, offset, ok, c.Offset)
		}
		uploaded, ok := uploadedOffset(c.Path, c.Text)
		if (c.Uploaded == nil) == ok || ok && uploaded != *c.Uploaded {
			t.Errorf("%q: uploaded %d (%v), want %v", c.Text, uploaded, ok, c.Uploaded)
		}
	}
}
