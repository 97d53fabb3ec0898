module github.com/hookline/hookline/examples/go

go 1.24

require github.com/hookline/hookline/sdks/go v0.0.0

require (
	github.com/Khan/genqlient v0.8.1 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/vektah/gqlparser/v2 v2.5.19 // indirect
)

replace github.com/hookline/hookline/sdks/go => ../../sdks/go
