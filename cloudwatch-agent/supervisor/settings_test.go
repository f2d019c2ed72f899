package main

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func envOf(vars map[string]string) getenv {
	return func(key string) string { return vars[key] }
}

func TestSettingsDefaults(t *testing.T) {
	s, err := loadSettings(envOf(nil), "/t.json")
	if err != nil {
		t.Fatal(err)
	}
	want := &settings{
		Template: "/t.json", ConfigDir: defaultConfigDir, AgentBin: defaultAgentBin,
		Group: "/app/logs", StreamHost: "{local_hostname}", LogsDir: "/logs", StateDir: defaultStateDir,
		StopWait: 20, LeftoverQuiet: 10, Families: []family{{Name: "app"}},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got %+v\nwant %+v", s, want)
	}
}

func TestSettingsAccepted(t *testing.T) {
	s, err := loadSettings(envOf(map[string]string{
		"LOG_FILES": "app, worker,\tcron-job", "METRICS_FILES": "metrics", "LOGS_DIR": "/srv/app-logs//",
		"STOP_WAIT_SECONDS": "010", "LEFTOVER_QUIET_SECONDS": "0", "AWS_REGION": "us-gov-west-1",
		"RETENTION_IN_DAYS": "3653", "LOG_STREAM_HOST": "{instance_id}",
	}), "/t.json")
	if err != nil {
		t.Fatal(err)
	}
	if s.LogsDir != "/srv/app-logs" || s.StopWait != 10 || s.LeftoverQuiet != 0 || s.familyNames() != "app, worker, cron-job, metrics" || !s.Families[3].Metrics {
		t.Errorf("got %+v", s)
	}
}

func TestSettingsRejected(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LOG_GROUP_NAME": `/app/logs"`}, "LOG_GROUP_NAME '/app/logs\"' has a character"},
		{map[string]string{"LOG_GROUP_NAME": "/app/logs\n\"x\": 1"}, "LOG_GROUP_NAME '/app/logs?\"x\": 1'"},
		{map[string]string{"LOG_GROUP_NAME": strings.Repeat("x", 513)}, "LOG_GROUP_NAME is 513 characters long"},
		{map[string]string{"LOG_GROUP_NAME": "aws/lambda/x"}, "reserves"},
		{map[string]string{"LOG_FILES": "app,,worker"}, "LOG_FILES has an empty name"},
		{map[string]string{"LOG_FILES": "app.log"}, "LOG_FILES name 'app.log' is not a plain base name"},
		{map[string]string{"LOG_FILES": "-app"}, "must start with a letter or digit"},
		{map[string]string{"LOG_FILES": "app,worker,app"}, "LOG_FILES lists 'app' twice."},
		{map[string]string{"LOG_FILES": "app\nworker"}, "LOG_FILES 'app?worker' spans several lines"},
		{map[string]string{"METRICS_FILES": "app"}, "METRICS_FILES lists 'app', which LOG_FILES lists too"},
		{map[string]string{"METRICS_FILES": "m,m"}, "METRICS_FILES lists 'm' twice."},
		{map[string]string{"RETENTION_IN_DAYS": "10"}, "RETENTION_IN_DAYS '10' is not a CloudWatch retention period"},
		{map[string]string{"AWS_REGION": "Europe"}, "AWS_REGION 'Europe' is not a region name"},
		{map[string]string{"AWS_REGION": "eu-west"}, "AWS_REGION 'eu-west' is not a region name"},
		{map[string]string{"LOG_STREAM_HOST": "{task_id}"}, "LOG_STREAM_HOST '{task_id}' must be"},
		{map[string]string{"LOGS_DIR": "/"}, "LOGS_DIR '/' must be an absolute folder other than /"},
		{map[string]string{"LOGS_DIR": "logs"}, "LOGS_DIR 'logs' must be an absolute folder"},
		{map[string]string{"LOGS_DIR": "/my logs"}, "LOGS_DIR '/my logs' may hold only"},
		{map[string]string{"LOGS_DIR": "/srv/../logs"}, "must be a plain path"},
		{map[string]string{"LOGS_DIR": "/srv/.."}, "must be a plain path"},
		{map[string]string{"STATE_DIR": "state"}, "STATE_DIR 'state' must be an absolute folder"},
		{map[string]string{"STOP_WAIT_SECONDS": "20s"}, "STOP_WAIT_SECONDS '20s' is not a whole number of seconds (0 to 600)."},
		{map[string]string{"STOP_WAIT_SECONDS": "601"}, "STOP_WAIT_SECONDS '601' is more than 600 seconds."},
		{map[string]string{"LEFTOVER_QUIET_SECONDS": "-1"}, "LEFTOVER_QUIET_SECONDS '-1' is not a whole number"},
		{map[string]string{"LEFTOVER_QUIET_SECONDS": "99999999999999999999"}, "is more than 86400 seconds"},
	}
	for _, c := range cases {
		_, err := loadSettings(envOf(c.env), "/t.json")
		var bad *configError
		if !errors.As(err, &bad) || !strings.Contains(bad.message, c.want) {
			t.Errorf("%v: got %v, want a config error with %q", c.env, err, c.want)
		}
	}
}

func TestPrintable(t *testing.T) {
	if got := printable("a\nb\x7fc\xc3\xb6" + strings.Repeat("x", 100)); got != "a?b?c??"+strings.Repeat("x", 73) {
		t.Errorf("%q", got)
	}
}
