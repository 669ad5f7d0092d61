// templatetar writes an echo-provisioner template archive to stdout: one resource whose agents
// (-agents main,gpu) authenticate with the given UUID tokens (-tokens a,b). A start build lists
// the agents; a stop build lists nothing, as a Terraform template with count = start would.
// This generation of coder (2.36) reports resources in the graph stage.
package main

import (
	"github.com/coder/coder/v2/provisioner/echo"
	"github.com/coder/coder/v2/provisionersdk/proto"
)

func main() {
	start := []*proto.Response{{Type: &proto.Response_Graph{Graph: &proto.GraphComplete{
		Resources: []*proto.Resource{{Name: "workspace", Type: "coder_ssh_test_vm", Agents: agentsFromFlags()}},
	}}}}
	writeTar(echo.Tar(&echo.Responses{
		ProvisionGraphMap: map[proto.WorkspaceTransition][]*proto.Response{
			proto.WorkspaceTransition_START: start,
			proto.WorkspaceTransition_STOP:  echo.GraphComplete,
		},
		ProvisionGraph: start,
	}))
}
