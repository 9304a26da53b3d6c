package provider

import (
	"context"
	"fmt"
	"math/big"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// sampleValue is a value of typ: null, unknown or known by how, so that
// every attribute is read and written in each of its states.
func sampleValue(t *testing.T, typ tftypes.Type, name string, how int) tftypes.Value {
	t.Helper()
	switch how % 3 {
	case 0:
		return tftypes.NewValue(typ, nil)
	case 1:
		return tftypes.NewValue(typ, tftypes.UnknownValue)
	}
	switch {
	case typ.Is(tftypes.String):
		return tftypes.NewValue(typ, "value of "+name)
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, true)
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, big.NewFloat(float64(len(name))))
	case typ.Is(tftypes.List{}):
		elem := typ.(tftypes.List).ElementType
		return tftypes.NewValue(typ, []tftypes.Value{sampleValue(t, elem, name+" 1", 2), sampleValue(t, elem, name+" 2", 2)})
	}
	t.Fatalf("%s: no sample for the type %s; add one", name, typ)
	return tftypes.Value{}
}

// sampleObject is a raw value of the schema's type; shift turns which
// attributes are null, unknown and known.
func sampleObject(t *testing.T, s schema.Schema, shift int) tftypes.Value {
	t.Helper()
	typ := s.Type().TerraformType(context.Background()).(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	i := shift
	for name, at := range typ.AttributeTypes {
		attrs[name] = sampleValue(t, at, name, i)
		i++
	}
	return tftypes.NewValue(typ, attrs)
}

// TestModelValuesAsTheFramework reads and writes both resources' models as
// the framework's Get and Set do, for every attribute null, unknown and known.
func TestModelValuesAsTheFramework(t *testing.T) {
	t.Run("incoming", func(t *testing.T) {
		checkModelValues(t, incomingKind().schema, NewIncomingIntegrationResource().(*integrationResource[incomingIntegrationModel, *incomingIntegrationModel]).values)
	})
	t.Run("outgoing", func(t *testing.T) {
		checkModelValues(t, outgoingKind().schema, NewOutgoingIntegrationResource().(*integrationResource[outgoingIntegrationModel, *outgoingIntegrationModel]).values)
	})
}

func checkModelValues[M any](t *testing.T, s schema.Schema, values *modelValues[M]) {
	ctx := context.Background()
	for shift := range 3 {
		t.Run(fmt.Sprintf("shift %d", shift), func(t *testing.T) {
			raw := sampleObject(t, s, shift)
			var want, got M
			if diags := (tfsdk.Plan{Schema: s, Raw: raw}).Get(ctx, &want); diags.HasError() {
				t.Fatalf("framework Get: %v", diags)
			}
			if diags := values.get(ctx, raw, &got); diags.HasError() {
				t.Fatalf("get: %v", diags)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("get = %+v\nwant (framework) %+v", got, want)
			}

			framework := tfsdk.State{Schema: s, Raw: tftypes.NewValue(raw.Type(), nil)}
			if diags := framework.Set(ctx, &want); diags.HasError() {
				t.Fatalf("framework Set: %v", diags)
			}
			ours := tfsdk.State{Schema: s, Raw: tftypes.NewValue(raw.Type(), nil)}
			if diags := values.set(ctx, &ours, &got); diags.HasError() {
				t.Fatalf("set: %v", diags)
			}
			if !ours.Raw.Equal(framework.Raw) || !ours.Raw.Equal(raw) {
				t.Errorf("set = %s\nwant (framework) %s\nread from %s", ours.Raw, framework.Raw, raw)
			}
		})
	}
	t.Run("null", func(t *testing.T) {
		var m M
		if diags := values.get(ctx, tftypes.NewValue(s.Type().TerraformType(ctx), nil), &m); !diags.HasError() {
			t.Error("a null object read without an error")
		}
	})
}
