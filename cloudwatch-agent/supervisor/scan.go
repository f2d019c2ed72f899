package main

import (
	"os"
	"sort"
	"strconv"
)

func sortStrings(values []string) { sort.Strings(values) }

// scanFamily lists the files of fam in logsDir, oldest first (the last is the newest): regular
// files, never links or folders, named <name>.log.<suffix> by the family rule (family.go), with
// their size, modification time and the agent's uploaded offset from stateDir.
func scanFamily(logsDir, stateDir string, fam family) familyFiles {
	out := familyFiles{Family: fam}
	entries, err := os.ReadDir(logsDir)
	if err != nil {
		return out
	}
	names := make([]string, 0, len(entries))
	for _, entry := range entries {
		names = append(names, entry.Name())
	}
	for _, name := range familyMembers(fam.Name, names) {
		if f, ok := statFamilyFile(stateDir, logsDir+"/"+name); ok {
			out.Files = append(out.Files, f)
		}
	}
	return out
}

// statFamilyFile reads one file's state; ok false when it is gone or not a regular file.
func statFamilyFile(stateDir, path string) (fileState, bool) {
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() {
		return fileState{}, false
	}
	f := fileState{Path: path, Size: info.Size(), ModTime: info.ModTime()}
	f.Uploaded, f.HasState = readUploadedOffset(stateDir, path)
	return f, true
}

// scanFamilies scans every family of s.
func scanFamilies(s *settings) []familyFiles {
	out := make([]familyFiles, 0, len(s.Families))
	for _, fam := range s.Families {
		out = append(out, scanFamily(s.LogsDir, s.StateDir, fam))
	}
	return out
}

// deleteFile removes path when it is still the regular file that was judged (not replaced by a
// link or another file meanwhile) and still uploaded to its end.
func deleteFile(stateDir string, judged fileState) error {
	now, ok := statFamilyFile(stateDir, judged.Path)
	if !ok {
		return nil // gone meanwhile
	}
	if now.Size != judged.Size || !now.ModTime.Equal(judged.ModTime) || !now.uploadedToEnd() {
		return errChanged
	}
	if err := os.Remove(judged.Path); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

type changedError struct{}

func (changedError) Error() string { return "changed since it was judged" }

var errChanged error = changedError{}

// isStillThere reports whether path exists (a link counts).
func isStillThere(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
