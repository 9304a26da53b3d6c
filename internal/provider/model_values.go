package provider

import (
	"context"
	"fmt"
	"reflect"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// modelValues moves a resource's model in and out of the raw values the
// framework holds (tftypes), one attribute at a time. The framework's own
// Get and Set do the same through generic reflection that looks each
// attribute up in the schema by path, copying the schema's attribute map at
// every step; Terraform asks for them several times per resource in every
// plan and apply, and they were a fifth of the provider's CPU time.
//
// The models hold only attr.Value fields of top-level attributes, so the
// conversion is the attribute type's own ValueFromTerraform and
// ToTerraformValue, which is what the framework ends up calling too.
type modelValues[M any] struct {
	typ    tftypes.Object
	fields []modelField
}

type modelField struct {
	name   string
	index  []int // of the field in the model, through embedded structs
	typ    attr.Type
	tfType tftypes.Type
}

// newModelValues maps the model's tfsdk fields to the schema's attributes;
// it panics when they differ, as the framework would fail every call.
func newModelValues[M any](s schema.Schema) *modelValues[M] {
	ctx := context.Background()
	out := &modelValues[M]{typ: s.Type().TerraformType(ctx).(tftypes.Object)}
	seen := map[string]bool{}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[M]()) {
		name := f.Tag.Get("tfsdk")
		if name == "" || f.Anonymous {
			continue
		}
		a, ok := s.Attributes[name]
		if !ok {
			panic(fmt.Sprintf("%s: field %s has no attribute %q in the schema", reflect.TypeFor[M](), f.Name, name))
		}
		if !f.Type.Implements(reflect.TypeFor[attr.Value]()) {
			panic(fmt.Sprintf("%s: field %s is not an attr.Value", reflect.TypeFor[M](), f.Name))
		}
		seen[name] = true
		out.fields = append(out.fields, modelField{name: name, index: f.Index, typ: a.GetType(), tfType: a.GetType().TerraformType(ctx)})
	}
	for name := range s.Attributes {
		if !seen[name] {
			panic(fmt.Sprintf("%s: no field for the attribute %q", reflect.TypeFor[M](), name))
		}
	}
	sort.Slice(out.fields, func(i, j int) bool { return out.fields[i].name < out.fields[j].name })
	return out
}

// get fills m from a raw value of the schema's type, as tfsdk's Get does.
func (c *modelValues[M]) get(ctx context.Context, raw tftypes.Value, m *M) diag.Diagnostics {
	var diags diag.Diagnostics
	var vals map[string]tftypes.Value
	if !raw.Type().Equal(c.typ) || !raw.IsKnown() || raw.IsNull() {
		diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to read a %s "+
			"value of type %s. This is always an error in the provider.", map[bool]string{true: "null", false: "non-null"}[raw.IsNull()], raw.Type()))
		return diags
	}
	if err := raw.As(&vals); err != nil {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered trying to read a value. This is always "+
			"an error in the provider: "+err.Error())
		return diags
	}
	target := reflect.ValueOf(m).Elem()
	for _, f := range c.fields {
		v, err := f.typ.ValueFromTerraform(ctx, vals[f.name])
		if err != nil {
			// The framework's words: a number that is no integer for an
			// Int64 attribute ends here.
			diags.AddAttributeError(path.Root(f.name), "Value Conversion Error", "An unexpected error was encountered trying to "+
				"convert the Terraform value. This is always an error in the provider. Please report the following to the "+
				"provider developer:\n\n"+err.Error())
			return diags
		}
		target.FieldByIndex(f.index).Set(reflect.ValueOf(v))
	}
	return diags
}

// value is m as a raw value of the schema's type, as tfsdk's Set makes it.
func (c *modelValues[M]) value(ctx context.Context, m *M) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	vals := make(map[string]tftypes.Value, len(c.fields))
	source := reflect.ValueOf(m).Elem()
	for _, f := range c.fields {
		v, err := source.FieldByIndex(f.index).Interface().(attr.Value).ToTerraformValue(ctx)
		if err == nil && !v.Type().Equal(f.tfType) {
			err = fmt.Errorf("the value has the type %s, the attribute %s", v.Type(), f.tfType)
		}
		if err != nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to write %s. "+
				"This is always an error in the provider: %s", f.name, err))
			return tftypes.Value{}, diags
		}
		vals[f.name] = v
	}
	return tftypes.NewValue(c.typ, vals), diags
}

// setter is what holds a whole raw value: tfsdk.State and tfsdk.Plan.
type setter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// set writes m into a state or plan; given a raw value, the framework only
// checks its type.
func (c *modelValues[M]) set(ctx context.Context, to setter, m *M) diag.Diagnostics {
	v, diags := c.value(ctx, m)
	if diags.HasError() {
		return diags
	}
	return to.Set(ctx, v)
}

// rawAttribute is one top-level attribute of a raw object value; null when
// the object is null or unknown or lacks it.
func rawAttribute(raw tftypes.Value, name string) tftypes.Value {
	if raw.IsKnown() && !raw.IsNull() {
		if v, err := raw.ApplyTerraform5AttributePathStep(tftypes.AttributeName(name)); err == nil {
			if tv, ok := v.(tftypes.Value); ok {
				return tv
			}
		}
	}
	return tftypes.NewValue(tftypes.String, nil)
}

// rawString reads a top-level string attribute of a raw object value.
func rawString(ctx context.Context, raw tftypes.Value, name string) types.String {
	v, err := types.StringType.ValueFromTerraform(ctx, rawAttribute(raw, name))
	if s, ok := v.(types.String); ok && err == nil {
		return s
	}
	return types.StringNull()
}

// rawBool reads a top-level bool attribute of a raw object value.
func rawBool(ctx context.Context, raw tftypes.Value, name string) types.Bool {
	v := rawAttribute(raw, name)
	if !v.Type().Is(tftypes.Bool) {
		return types.BoolNull()
	}
	b, err := types.BoolType.ValueFromTerraform(ctx, v)
	if bv, ok := b.(types.Bool); ok && err == nil {
		return bv
	}
	return types.BoolNull()
}
