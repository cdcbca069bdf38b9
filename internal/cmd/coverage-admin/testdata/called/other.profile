mode: set
example.com/other/other.go:3.1,4.2 1 1
