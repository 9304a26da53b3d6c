package rocketchattest_test

import (
	"net/http"
	"strings"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// §7 Server version

func spec7() []row {
	return []row{
		{
			name:   "§7 GET /api/info: version without the patch level",
			req:    req{method: http.MethodGet, path: "/api/info"},
			status: 200,
			want:   map[string]any{"version": "8.8", "success": true, "minimumClientVersions": isObject()},
		},
		{
			name:   "§7 GET /api/info: another version",
			opts:   []rc.Option{rc.WithVersion("7.10.2")},
			req:    req{method: http.MethodGet, path: "/api/info"},
			status: 200,
			want:   map[string]any{"version": "7.10"},
		},
		{
			name:   "§7 §12.10 choice: authenticated as admin, still major.minor",
			req:    req{method: http.MethodGet, path: "/api/info", as: "admin"},
			status: 200,
			want:   map[string]any{"version": "8.8"},
		},
		{
			name:   "§7 /api/v1/info does not exist (§12.7 choice: plain 404)",
			req:    req{method: http.MethodGet, path: "/api/v1/info", as: "admin"},
			status: 404,
			check: func(e *env, r *resp) {
				if strings.Contains(string(r.raw), "version") {
					e.t.Errorf("body %s", r.raw)
				}
			},
		},
	}
}
