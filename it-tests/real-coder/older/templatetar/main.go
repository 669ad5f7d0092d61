// templatetar writes an echo-provisioner template archive to stdout: one resource whose agents
// (-agents main,gpu) authenticate with the given UUID tokens (-tokens a,b). A start build lists
// the agents; a stop build lists nothing, as a Terraform template with count = start would.
// This generation of coder (2.25) reports resources in the plan and apply stages.
package main

import (
	"github.com/coder/coder/v2/provisioner/echo"
	"github.com/coder/coder/v2/provisionersdk/proto"
)

func main() {
	resources := []*proto.Resource{{Name: "workspace", Type: "coder_ssh_test_vm", Agents: agentsFromFlags()}}
	plan := []*proto.Response{{Type: &proto.Response_Plan{Plan: &proto.PlanComplete{Resources: resources}}}}
	apply := []*proto.Response{{Type: &proto.Response_Apply{Apply: &proto.ApplyComplete{Resources: resources}}}}
	writeTar(echo.Tar(&echo.Responses{
		// This generation's Tar fills in no default parse response.
		Parse: echo.ParseComplete,
		ProvisionPlanMap: map[proto.WorkspaceTransition][]*proto.Response{
			proto.WorkspaceTransition_START: plan,
			proto.WorkspaceTransition_STOP:  echo.PlanComplete,
		},
		ProvisionApplyMap: map[proto.WorkspaceTransition][]*proto.Response{
			proto.WorkspaceTransition_START: apply,
			proto.WorkspaceTransition_STOP:  echo.ApplyComplete,
		},
		ProvisionPlan:  plan,
		ProvisionApply: apply,
	}))
}
