package main

// cleanupOnce is --cleanup-once: one deletion pass, saying per leftover what it keeps and why.
func cleanupOnce(s *settings, now clock, log logger) {
	at := now()
	removed, kept := 0, 0
	failed := map[string]bool{}
	for _, fam := range scanFamilies(s) {
		for _, f := range fam.leftovers() {
			switch {
			case !f.uploadedToEnd() && !f.HasState:
				log.say("kept %s: the agent has no saved offset for it in %s", f.Path, s.StateDir)
				kept++
			case !f.uploadedToEnd():
				log.say("kept %s: the agent has uploaded %d of its %d bytes", f.Path, f.Uploaded, f.Size)
				kept++
			case !f.quiet(at, s.LeftoverQuiet):
				log.say("kept %s: uploaded to its end, but modified less than %ds ago", f.Path, s.LeftoverQuiet)
				kept++
			default:
				if deleteLeftover(s, f, failed, log) {
					removed++
				} else {
					kept++
				}
			}
		}
	}
	log.say("cleanup: %d leftover file(s) removed, %d kept (the newest file of each family is never touched)", removed, kept)
}
