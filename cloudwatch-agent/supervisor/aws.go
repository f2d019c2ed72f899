package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"
)

// Where credentials and the region come from. Off AWS (no ECS task, no Kubernetes IAM role, no
// EC2 instance metadata) a missing AWS_REGION stops the sidecar and a missing credentials file
// is said in one line.

// Off AWS the agent reads only this profile of the shared credentials file in its home.
const credentialsProfile = "AmazonCloudWatchAgent"

// EC2 instance metadata answers 200 (IMDSv1) or 401 (IMDSv2, no token) only on EC2.
const (
	defaultIMDSEndpoint = "http://169.254.169.254"
	imdsPath            = "/latest/meta-data/"
	imdsTimeout         = 2 * time.Second
)

// dialFunc opens a connection; the probe's is replaceable so a test can prove none is opened.
type dialFunc func(ctx context.Context, network, address string) (net.Conn, error)

// imdsDisabled is the AWS SDKs' switch: AWS_EC2_METADATA_DISABLED=true means no probe at all.
func imdsDisabled(env getenv) bool {
	return strings.EqualFold(strings.TrimSpace(env("AWS_EC2_METADATA_DISABLED")), "true")
}

// instanceMetadataAnswers is true when the EC2 instance metadata service answers 200 or 401
// within imdsTimeout. Other answers from that address are not EC2 (Azure's and Google's metadata
// services answer 400 and 403 there, and so may a network's interceptor). Proxies are bypassed:
// a proxy would answer for the address. AWS_EC2_METADATA_SERVICE_ENDPOINT (the SDKs' variable)
// replaces the address.
func instanceMetadataAnswers(env getenv, dial dialFunc) bool {
	transport := &http.Transport{Proxy: nil, DisableKeepAlives: true}
	if dial != nil {
		transport.DialContext = dial
	} else {
		transport.DialContext = (&net.Dialer{Timeout: imdsTimeout}).DialContext
	}
	client := &http.Client{Transport: transport, Timeout: imdsTimeout}
	endpoint := strings.TrimSuffix(orDefault(env("AWS_EC2_METADATA_SERVICE_ENDPOINT"), defaultIMDSEndpoint), "/")
	response, err := client.Get(endpoint + imdsPath)
	if err != nil {
		return false
	}
	response.Body.Close()
	return response.StatusCode == http.StatusOK || response.StatusCode == http.StatusUnauthorized
}

// awsPlatform names the AWS platform that gives the agent its credentials and region, from the
// variables ECS, Kubernetes IAM roles (IRSA, EKS Pod Identity) and the agent itself set, else
// from EC2 instance metadata (unless disabled); "none" off AWS.
func awsPlatform(env getenv, probe func() bool) string {
	switch {
	case env("ECS_CONTAINER_METADATA_URI_V4")+env("ECS_CONTAINER_METADATA_URI")+env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != "":
		return "ECS"
	case env("AWS_WEB_IDENTITY_TOKEN_FILE")+env("AWS_CONTAINER_CREDENTIALS_FULL_URI") != "" || env("RUN_WITH_IRSA") == "True":
		return "Kubernetes with an IAM role"
	case env("RUN_IN_AWS") == "True":
		return "EC2"
	case !imdsDisabled(env) && probe():
		return "EC2"
	default:
		return "none"
	}
}

var profileHeader = regexp.MustCompile(`(?m)^[ \t\r\f\v]*\[[ \t\r\f\v]*` + credentialsProfile + `[ \t\r\f\v]*\]`)

// credentialsProblem says what is wrong with the shared credentials file, or "" when the agent
// can use it.
func credentialsProblem(file string) string {
	info, err := os.Stat(file)
	if err != nil {
		return "there is no " + file
	}
	if info.IsDir() {
		return file + " is a folder (Docker creates one when the file it should mount is missing)"
	}
	text, err := os.ReadFile(file)
	if err != nil {
		return fmt.Sprintf("%s is not readable by uid %d", file, os.Getuid())
	}
	if !profileHeader.Match(text) {
		return fmt.Sprintf("%s has no [%s] profile", file, credentialsProfile)
	}
	return ""
}

// checkAWSAccess returns the platform ("" when the region and a usable credentials file are
// given, so nothing is asked), a warning to say, or an error that stops the sidecar. Instance
// metadata is only asked when something is missing.
func checkAWSAccess(s *settings, env getenv, probe func() bool) (platform, warning string, err error) {
	home := orDefault(env("HOME"), "/root")
	credentialsFile := home + "/.aws/credentials"
	problem := credentialsProblem(credentialsFile)
	if s.Region != "" && problem == "" {
		return "", "", nil
	}
	platform = awsPlatform(env, probe)
	if platform != "none" {
		return platform, "", nil
	}
	if s.Region == "" {
		return platform, "", failf("AWS_REGION is not set, and off AWS (no ECS task, no Kubernetes IAM role, no EC2 instance metadata found) the agent cannot find its region; set AWS_REGION, e.g. AWS_REGION=eu-west-1.")
	}
	warning = fmt.Sprintf("no AWS credentials: %s, and off AWS (no ECS task, no Kubernetes IAM role, no EC2 instance metadata found) the agent reads only that file. It starts, but every upload fails until %s has an [%s] profile (with docker compose: add -f deploy/compose/aws-credentials.yml).", problem, credentialsFile, credentialsProfile)
	return platform, warning, nil
}
