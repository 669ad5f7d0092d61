// templatetar writes an echo-provisioner template archive to stdout: one resource whose agents
// (-agents main,gpu) authenticate with the given UUID tokens (-tokens a,b). A start build lists
// the agents; a stop build lists nothing, as a Terraform template with count = start would.
// This generation of coder (2.25) reports resources in the plan and apply stages.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/coder/coder/v2/provisioner/echo"
	"github.com/coder/coder/v2/provisionersdk/proto"
)

func main() {
	names := flag.String("agents", "main", "comma-separated agent names")
	tokens := flag.String("tokens", "", "comma-separated agent tokens (UUIDs), one per agent")
	flag.Parse()
	agents, err := agentList(*names, *tokens)
	if err != nil {
		fmt.Fprintln(os.Stderr, "templatetar:", err)
		os.Exit(2)
	}
	resources := []*proto.Resource{{Name: "workspace", Type: "coder_ssh_test_vm", Agents: agents}}
	tar, err := echo.Tar(&echo.Responses{
		// This generation's Tar fills in no default parse response.
		Parse: echo.ParseComplete,
		ProvisionPlanMap: map[proto.WorkspaceTransition][]*proto.Response{
			proto.WorkspaceTransition_START: {{Type: &proto.Response_Plan{Plan: &proto.PlanComplete{Resources: resources}}}},
			proto.WorkspaceTransition_STOP:  echo.PlanComplete,
		},
		ProvisionApplyMap: map[proto.WorkspaceTransition][]*proto.Response{
			proto.WorkspaceTransition_START: {{Type: &proto.Response_Apply{Apply: &proto.ApplyComplete{Resources: resources}}}},
			proto.WorkspaceTransition_STOP:  echo.ApplyComplete,
		},
		ProvisionPlan:  []*proto.Response{{Type: &proto.Response_Plan{Plan: &proto.PlanComplete{Resources: resources}}}},
		ProvisionApply: []*proto.Response{{Type: &proto.Response_Apply{Apply: &proto.ApplyComplete{Resources: resources}}}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "templatetar:", err)
		os.Exit(1)
	}
	os.Stdout.Write(tar)
}

func agentList(names, tokens string) ([]*proto.Agent, error) {
	n, t := strings.Split(names, ","), strings.Split(tokens, ",")
	if len(n) != len(t) {
		return nil, fmt.Errorf("%d agents but %d tokens", len(n), len(t))
	}
	var agents []*proto.Agent
	for i := range n {
		agents = append(agents, &proto.Agent{
			Id: t[i], Name: n[i], OperatingSystem: "linux", Architecture: "amd64",
			Auth: &proto.Agent_Token{Token: t[i]},
		})
	}
	return agents, nil
}
