module cwagent-supervisor

go 1.19
