package main

// Shared by both wrapper modules (a symlink in each templatetar): the part of the template writer
// that does not depend on the echo provisioner's generation. Two modules cannot share a package
// without a third module, so the file is linked instead.

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/coder/coder/v2/provisionersdk/proto"
)

// agentsFromFlags parses -agents and -tokens; it exits 2 on a mismatch.
func agentsFromFlags() []*proto.Agent {
	names := flag.String("agents", "main", "comma-separated agent names")
	tokens := flag.String("tokens", "", "comma-separated agent tokens (UUIDs), one per agent")
	flag.Parse()
	n, t := strings.Split(*names, ","), strings.Split(*tokens, ",")
	if len(n) != len(t) {
		fail(2, fmt.Errorf("%d agents but %d tokens", len(n), len(t)))
	}
	var agents []*proto.Agent
	for i := range n {
		agents = append(agents, &proto.Agent{
			Id: t[i], Name: n[i], OperatingSystem: "linux", Architecture: "amd64",
			Auth: &proto.Agent_Token{Token: t[i]},
		})
	}
	return agents
}

// writeTar writes the archive to stdout, or exits 1.
func writeTar(tar []byte, err error) {
	if err != nil {
		fail(1, err)
	}
	os.Stdout.Write(tar)
}

func fail(code int, err error) {
	fmt.Fprintln(os.Stderr, "templatetar:", err)
	os.Exit(code)
}
