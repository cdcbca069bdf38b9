package fixture

import "testing"

func TestAgainstKctest(t *testing.T) {}
