mode: set
example.com/fixture/svc.go:11.41,13.2 1 1
example.com/fixture/svc.go:18.44,20.2 1 0
example.com/fixture/svc.go:29.44,29.58 1 0
