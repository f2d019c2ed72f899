package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func readTemplate(t *testing.T) string {
	t.Helper()
	text, err := os.ReadFile("../config.template.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

type renderedConfig struct {
	Agent map[string]interface{} `json:"agent"`
	Logs  struct {
		LogsCollected struct {
			Files struct {
				CollectList []map[string]interface{} `json:"collect_list"`
			} `json:"files"`
		} `json:"logs_collected"`
	} `json:"logs"`
}

func TestRenderRepeatsTheItemPerEntry(t *testing.T) {
	template := readTemplate(t)
	entries := []entry{{App: "app", FilePath: "/logs/app.log.*"}, {App: "worker", FilePath: "/logs/worker.log.*"}, {App: "app", FilePath: "/logs/app.log.2025-12-13_11"}}
	for _, v := range []renderValues{
		{Group: "/app/logs", StreamHost: "{local_hostname}"},
		{Group: "/g", StreamHost: "h", Retention: "30", Region: "eu-west-1"},
	} {
		text := render(template, v, entries)
		if !strings.HasSuffix(text, "}\n") || strings.HasSuffix(text, "\n\n") || strings.Contains(text, "{{") {
			t.Fatalf("rendered:\n%s", text)
		}
		var c renderedConfig
		if err := json.Unmarshal([]byte(text), &c); err != nil {
			t.Fatalf("not JSON (%v):\n%s", err, text)
		}
		list := c.Logs.LogsCollected.Files.CollectList
		if len(list) != 3 {
			t.Fatalf("%d items", len(list))
		}
		for i, item := range list {
			if item["file_path"] != entries[i].FilePath || item["auto_removal"] != false ||
				item["log_stream_name"] != entries[i].App+"/"+v.StreamHost || item["log_group_name"] != v.Group {
				t.Errorf("item %d: %v", i, item)
			}
			if _, ok := item["retention_in_days"]; ok != (v.Retention != "") {
				t.Errorf("item %d retention: %v", i, item)
			}
			if v.Retention != "" && item["retention_in_days"] != float64(30) {
				t.Errorf("retention is not a number: %v", item["retention_in_days"])
			}
		}
		if (v.Region == "") != (len(c.Agent) == 0) {
			t.Errorf("agent: %v", c.Agent)
		}
	}
}

func TestRenderIsTheShellsOutputForTheDefaults(t *testing.T) {
	// What the former awk renderer printed for the defaults, with auto_removal false.
	want := `{
  "agent": {
  },
  "logs": {
    "force_flush_interval": 5,
    "logs_collected": {
      "files": {
        "collect_list": [
          {
            "file_path": "/logs/app.log.*",
            "log_group_name": "/app/logs",
            "log_stream_name": "app/{local_hostname}",
            "timestamp_format": "%Y-%m-%dT%H:%M:%S.%fZ",
            "timezone": "UTC",
            "auto_removal": false
          }
        ]
      }
    }
  }
}
`
	got := render(readTemplate(t), renderValues{Group: "/app/logs", StreamHost: "{local_hostname}"}, []entry{{App: "app", FilePath: "/logs/app.log.*"}})
	if got != want {
		t.Errorf("got:\n%s", got)
	}
}

func TestTemplateChecks(t *testing.T) {
	template := readTemplate(t)
	if err := checkTemplate("t", template); err != nil {
		t.Fatal(err)
	}
	if err := checkTemplate("t", strings.Replace(template, "{{FILE_PATH}}", "/logs/{{APP}}.log.*", 1)); err == nil || !strings.Contains(err.Error(), "{{FILE_PATH}}") {
		t.Errorf("no FILE_PATH: %v", err)
	}
	if err := checkTemplate("t", strings.Replace(template, `"{{AUTO_REMOVAL}}"`, "true", 1)); err == nil || !strings.Contains(err.Error(), "AUTO_REMOVAL") {
		t.Errorf("no AUTO_REMOVAL: %v", err)
	}
	if err := checkRendered("t", `{"logs": "{{SOMETHING}}"}`); err == nil {
		t.Error("unknown placeholder accepted")
	}
}

func TestPlanEntries(t *testing.T) {
	families := []familyFiles{
		{Family: family{Name: "app"}, Files: []fileState{{Path: "/l/app.log.2025-12-13_10"}, {Path: "/l/app.log.2025-12-13_11"}, {Path: "/l/app.log.2025-12-13_12"}}},
		{Family: family{Name: "worker"}, Files: []fileState{{Path: "/l/worker.log.2025-12-13_12"}}},
	}
	entries, covered := planEntries("/l", families)
	want := []entry{{"app", "/l/app.log.*"}, {"worker", "/l/worker.log.*"}, {"app", "/l/app.log.2025-12-13_10"}, {"app", "/l/app.log.2025-12-13_11"}}
	if len(entries) != len(want) || len(covered) != 2 || covered["/l/app.log.2025-12-13_12"] {
		t.Fatalf("%v %v", entries, covered)
	}
	for i := range want {
		if entries[i] != want[i] {
			t.Errorf("entry %d: %v, want %v", i, entries[i], want[i])
		}
	}
}
