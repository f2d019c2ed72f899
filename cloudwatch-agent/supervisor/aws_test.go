package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMetadataDisabledNeverProbes(t *testing.T) {
	for _, value := range []string{"true", "TRUE", "True"} {
		env := envOf(map[string]string{"AWS_EC2_METADATA_DISABLED": value})
		probed := false
		if got := awsPlatform(env, func() bool { probed = true; return true }); got != "none" || probed {
			t.Errorf("%s: platform %q, probed %v", value, got, probed)
		}
		// The whole start-up check too, with a dialer that fails the test if it is ever used.
		dial := func(ctx context.Context, network, address string) (net.Conn, error) {
			t.Errorf("connection attempted to %s", address)
			return nil, context.Canceled
		}
		s := &settings{}
		_, _, err := checkAWSAccess(s, env, func() bool { return instanceMetadataAnswers(env, dial) })
		if err == nil || !strings.Contains(err.Error(), "AWS_REGION is not set, and off AWS") {
			t.Errorf("%s: %v", value, err)
		}
	}
}

func TestMetadataProbeAnswers(t *testing.T) {
	for status, ec2 := range map[int]bool{200: true, 401: true, 403: false, 400: false, 404: false} {
		var asked []string
		server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			asked = append(asked, r.URL.Path)
			w.WriteHeader(status)
		}))
		env := envOf(map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": server.URL, "HTTP_PROXY": "http://127.0.0.1:1"})
		if got := awsPlatform(env, func() bool { return instanceMetadataAnswers(env, nil) }); (got == "EC2") != ec2 {
			t.Errorf("%d: platform %q", status, got)
		}
		server.Close()
		if len(asked) != 1 || asked[0] != imdsPath {
			t.Errorf("%d: asked %v", status, asked)
		}
	}
}

func TestPlatformFromVariablesNeedsNoProbe(t *testing.T) {
	cases := map[string]map[string]string{
		"ECS":                         {"ECS_CONTAINER_METADATA_URI_V4": "http://169.254.170.2/v4/x"},
		"Kubernetes with an IAM role": {"AWS_WEB_IDENTITY_TOKEN_FILE": "/token"},
		"EC2":                         {"RUN_IN_AWS": "True"},
	}
	for want, vars := range cases {
		if got := awsPlatform(envOf(vars), func() bool { t.Error("probed"); return false }); got != want {
			t.Errorf("%v: %q", vars, got)
		}
	}
}

func TestCredentialsProblem(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "credentials")
	if p := credentialsProblem(file); !strings.HasPrefix(p, "there is no ") {
		t.Error(p)
	}
	os.WriteFile(file, []byte("[default]\nregion = x\n\n  [ AmazonCloudWatchAgent ]\nkey = y\n"), 0o600)
	if p := credentialsProblem(file); p != "" {
		t.Error(p)
	}
	os.WriteFile(file, []byte("[default]\n"), 0o600)
	if p := credentialsProblem(file); !strings.Contains(p, "has no [AmazonCloudWatchAgent] profile") {
		t.Error(p)
	}
	if p := credentialsProblem(dir); !strings.Contains(p, "is a folder") {
		t.Error(p)
	}
}
