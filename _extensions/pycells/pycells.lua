--[[
pycells: turn ```{pyodide} cells into runnable Python cells.

Runs under `quarto render` (dependencies through quarto.doc.add_html_dependency)
and under plain pandoc 3 (tools/render_site.py passes the site's `pycells` map,
`page-offset` and `page-source` as metadata and copies the runtime files into
_site/site_libs/pycells/).

Settings: the site's live under `pycells:` in _quarto.yml (a key pages never set:
Quarto replaces a site map by a page's map of the same name, it does not merge
them); a page's own under `pyodide:` (`packages`, `cell-options`). Paths in the
site settings start at the site root with a "/", as Quarto's website links do;
the filter turns them into URLs relative to each page, so the site works at a
domain root and under a sub-path alike.

A page without cells gets the engine too when it holds an element of class `pycells-client`
(a widget that calls Python through `window.PyCells.call`, such as the course's digit pad).

Every cell becomes a Div.pycell holding a normal highlighted Python CodeBlock,
so the code reads fine without JavaScript; the page runtime (pycells.js) upgrades
it to an editor using the JSON config this filter appends to the document.
--]]

local VERSION = "0.1.0"

-- The Pyodide release the runtime is built and tested with: engine.json beside this filter, which
-- the build's tools read too. Without a site `engine-url`, pages load it from Pyodide's CDN.
local function default_engine_url()
  local here = quarto and quarto.utils and quarto.utils.resolve_path
  local path = here and here("engine.json") or pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), "engine.json" })
  local file = assert(io.open(path, "r"), "pycells: cannot read " .. path)
  local release = pandoc.json.decode(file:read("a")).pyodide
  file:close()
  return ("https://cdn.jsdelivr.net/pyodide/v%s/full/"):format(release)
end
local DEFAULT_ENGINE_URL = default_engine_url()

-- option name -> expected type; defaults follow the contract (quarto-live names)
local OPTION_TYPES = {
  label = "string", exercise = "string",
  eval = "boolean", autorun = "boolean", echo = "boolean", edit = "boolean",
  include = "boolean", output = "boolean", runbutton = "boolean",
  startover = "boolean", persist = "boolean", hint = "boolean",
  solution = "boolean", check = "boolean", setup = "boolean",
  timelimit = "number",
  -- quarto-live's options and Quarto's figure options that mean something here
  caption = "string", ["min-lines"] = "number", ["max-lines"] = "number", envir = "string", warning = "boolean",
  ["fig-width"] = "number", ["fig-height"] = "number", ["fig-dpi"] = "number",
  ["fig-cap"] = "string", ["fig-alt"] = "string",
}

-- Options of quarto-live and of Quarto's code cells that are accepted and have no effect here:
-- option -> why. Each is reported once per page at render time.
local IGNORED_OPTIONS = {
  completion = "the editors here offer no code completion",
  error = "a cell's error is always shown here, and never stops the render",
  message = "there is no separate message stream in Python",
  input = "OJS reactivity is not supported: the cell is a normal cell, run with its Run button",
  define = "OJS reactivity is not supported: the cell's variables stay in Python",
  execute = "Quarto runs no code of these cells; use 'eval' to keep a cell from running in the page",
  ["code-fold"] = "the code is shown in an editor, which does not fold",
  ["code-summary"] = "the code is shown in an editor, which does not fold",
  ["code-line-numbers"] = "the editor numbers every line",
  ["code-overflow"] = "the editor scrolls long lines",
  ["output-location"] = "the output is always shown below the cell",
  classes = "the cell's look comes from the pycells extension",
  results = "the output is shown as the code prints it",
}

local DEFAULTS = {
  eval = true, autorun = false, echo = true, edit = true, include = true,
  output = true, runbutton = true, startover = true, persist = true,
  timelimit = 0, hint = false, solution = false, check = false, setup = false, warning = true,
}

local source_name = nil  -- set from `page-source` metadata (render_site.py)

local function input_file_name()
  if source_name then return source_name end
  if quarto and quarto.doc and quarto.doc.input_file then
    local file, root = quarto.doc.input_file, quarto.project and quarto.project.directory
    if root and file:sub(1, #root + 1) == root .. "/" then return file:sub(#root + 2) end
    return file
  end
  local files = PANDOC_STATE and PANDOC_STATE.input_files or {}
  return files[1] or "<stdin>"
end

-- Stop the render with a message that names the file, the cell and the option.
-- Inside Quarto the global `error` only logs, so the filter ends pandoc itself.
local function fail(where, message)
  io.stderr:write(("pycells: %s: %s: %s\n"):format(input_file_name(), where, message))
  os.exit(1)
end

-- How every runner names a cell: in messages and labels ('cell 3 "divide"'), and as the file of
-- its code in tracebacks ("<cell 3>"). Both go into the page config; nothing else makes them.
local function cell_name(index, label)
  if label then return ('cell %d "%s"'):format(index, label) end
  return ("cell %d"):format(index)
end

local function cell_file(index)
  return ("<cell %d>"):format(index)
end

-- Parse one YAML scalar of the small subset cell options allow.
local function parse_scalar(text)
  local s = text:match("^%s*(.-)%s*$")
  local items = s:match("^%[(.*)%]$")
  if items then   -- a flow list of scalars, as quarto-live's `input: [x, y]`
    local list = pandoc.List()
    for item in items:gmatch("[^,]+") do list:insert((parse_scalar(item))) end
    return list
  end
  if s == "true" or s == "yes" then return true end
  if s == "false" or s == "no" then return false end
  local quoted = s:match('^"(.*)"$') or s:match("^'(.*)'$")
  if quoted then return quoted end
  if s:match("^[-+]?%d+%.?%d*$") or s:match("^[-+]?%d*%.%d+$") then
    return tonumber(s)
  end
  if s == "" or s:match("^[%[{&*!|>%%@`]") then return nil, "unsupported value '" .. s .. "'" end
  return s
end

local function edit_distance(a, b)
  local previous = {}
  for j = 0, #b do previous[j] = j end
  for i = 1, #a do
    local current = { [0] = i }
    for j = 1, #b do
      local substitute = previous[j - 1] + (a:sub(i, i) == b:sub(j, j) and 0 or 1)
      current[j] = math.min(previous[j] + 1, current[j - 1] + 1, substitute)
    end
    previous = current
  end
  return previous[#b]
end

-- " (did you mean 'autorun'?)" for the closest known option, when one is close.
local function suggestion(name)
  local names = {}
  for option in pairs(OPTION_TYPES) do names[#names + 1] = option end
  for option in pairs(IGNORED_OPTIONS) do names[#names + 1] = option end
  table.sort(names)
  local best, best_distance = nil, 3
  for _, known in ipairs(names) do
    local distance = edit_distance(name, known)
    if distance < best_distance then best, best_distance = known, distance end
  end
  return best and (" (did you mean '%s'?)"):format(best) or ""
end

local reported = {}   -- ignored options already reported on this page

local function report_ignored(name)
  if reported[name] then return end
  reported[name] = true
  io.stderr:write(("pycells: %s: option '%s' is accepted and has no effect here: %s\n")
    :format(input_file_name(), name, IGNORED_OPTIONS[name]))
end

local function check_type(where, name, value)
  if IGNORED_OPTIONS[name] then
    report_ignored(name)
    return value
  end
  local expected = OPTION_TYPES[name]
  if expected == nil then
    fail(where, ("unknown option '%s'%s"):format(name, suggestion(name)))
  end
  if expected == "string" and type(value) == "number" then value = tostring(value) end
  if type(value) ~= expected then
    fail(where, ("option '%s' must be a %s, got %s"):format(name, expected, tostring(value)))
  end
  if name == "timelimit" and value < 0 then
    fail(where, "option 'timelimit' must be >= 0")
  end
  return value
end

-- Split the leading `#|` lines off a cell; returns the options, the code and how many
-- `#|` lines there were.
local function split_options(text, index)
  local options, code_lines, in_header = {}, {}, true
  local line_no, option_lines = 0, 0
  for line in (text .. "\n"):gmatch("(.-)\r?\n") do
    line_no = line_no + 1
    local option = in_header and line:match("^#|%s?(.*)$")
    if option then
      option_lines = option_lines + 1
      if not option:match("^%s*$") then
        local key, raw = option:match("^%s*([%w_%-]+)%s*:%s*(.-)%s*$")
        local where = cell_name(index, options.label)
        if not key then
          fail(where, ("malformed option line %d: '#| %s' (expected 'name: value')"):format(line_no, option))
        end
        local value, problem = parse_scalar(raw)
        if value == nil then
          fail(where, ("option '%s': %s"):format(key, problem))
        end
        options[key] = check_type(where, key, value)
      end
    else
      in_header = false
      code_lines[#code_lines + 1] = line
    end
  end
  while #code_lines > 0 and code_lines[#code_lines] == "" do
    table.remove(code_lines)
  end
  return options, table.concat(code_lines, "\n"), option_lines
end

-- Convert a pandoc meta value into plain Lua data (strings, booleans, lists, maps).
local function meta_to_lua(value)
  local kind = pandoc.utils.type(value)
  if kind == "boolean" or kind == "number" or kind == "string" then return value end
  if kind == "Inlines" or kind == "Blocks" then return pandoc.utils.stringify(value) end
  if kind == "List" then
    local list = {}
    for i, item in ipairs(value) do list[i] = meta_to_lua(item) end
    return list
  end
  if type(value) == "table" then
    local map = {}
    for k, item in pairs(value) do map[k] = meta_to_lua(item) end
    return map
  end
  return value
end

local function as_list(value)
  if value == nil then return {} end
  if type(value) ~= "table" then return { value } end
  return value
end

-- A `packages` setting: one name or a list of names.
local function package_list(where, value)
  local names = as_list(value)
  for key, name in pairs(names) do
    if type(key) ~= "number" or type(name) ~= "string" then
      fail(where, "'packages' must be a list of package names, e.g. [scipy, matplotlib]")
    end
  end
  return names
end

local function append_unique(target, items)
  for _, item in ipairs(items) do
    if not target:includes(item) then target:insert(item) end
  end
end

local function site_offset(meta)
  if quarto and quarto.project and quarto.project.offset then
    local offset = quarto.project.offset
    if type(offset) == "function" then offset = offset() end
    if offset then return offset end
  end
  local given = meta["page-offset"]
  return given and pandoc.utils.stringify(given) or "."
end

-- A site path ("/assets/x.whl": from the site root) or a full URL, as a URL for this page.
local function page_url(setting, value, offset)
  if value:match("^%a[%w+.-]*:") or value:match("^//") then return value end
  if not value:match("^/") then
    fail("_quarto.yml", ("pycells: %s: '%s' must start at the site root with '/' (write '/%s'), "
      .. "or be a full URL"):format(setting, value, value))
  end
  if offset == "." or offset == "" then return value:sub(2) end
  return offset .. value
end

local ROLE_OPTIONS = { "setup", "hint", "solution", "check" }
local PER_CELL_ONLY = { "label", "exercise", "setup", "hint", "solution", "check" }

local PAGE_KEYS = { packages = true, ["cell-options"] = true }
local SITE_KEYS = { ["engine-url"] = true, wheels = true, packages = true, outputs = true, ["service-worker"] = true,
                    ["keep-engine"] = true }

local function check_keys(settings, allowed, where, hint)
  for key in pairs(settings) do
    if not allowed[key] then
      local moved = hint and hint(key)
      fail(where, ("unknown option '%s'%s"):format(key, moved or ""))
    end
  end
end

-- The site's settings (`pycells:` in _quarto.yml) and the page's (`pyodide:` in its
-- front matter) as one config table for the page.
local function read_config(meta)
  local site = meta_to_lua(meta.pycells or {}) or {}
  local page = meta_to_lua(meta.pyodide or {}) or {}
  check_keys(site, SITE_KEYS, "_quarto.yml pycells")
  local page_defaults = page["cell-options"] or {}
  for key, value in pairs(page) do   -- a cell option right under `pyodide:` (as quarto-live pages write `autorun`)
    if OPTION_TYPES[key] or IGNORED_OPTIONS[key] then
      page_defaults[key] = value
      page[key] = nil
    end
  end
  check_keys(page, PAGE_KEYS, "front matter pyodide", function(key)
    if SITE_KEYS[key] then return " (a site setting: put it under 'pycells:' in _quarto.yml)" end
  end)
  local offset = site_offset(meta)
  local config = {
    engineUrl = page_url("engine-url", site["engine-url"] or DEFAULT_ENGINE_URL, offset),
    packages = pandoc.List({ "numpy" }), wheels = pandoc.List(), cellDefaults = {},
  }
  if not config.engineUrl:match("/$") then config.engineUrl = config.engineUrl .. "/" end
  append_unique(config.packages, package_list("_quarto.yml pycells", site.packages))
  append_unique(config.packages, package_list("front matter pyodide", page.packages))
  for _, wheel in ipairs(as_list(site.wheels)) do
    config.wheels:insert(page_url("wheels", wheel, offset))
  end
  if site["keep-engine"] ~= nil then
    if type(site["keep-engine"]) ~= "boolean" then
      fail("_quarto.yml", "pycells: keep-engine: must be true or false")
    end
    config.keepEngine = site["keep-engine"]
  end
  if site["service-worker"] then
    config.serviceWorker = page_url("service-worker", site["service-worker"], offset)
  end
  if site.outputs then
    if type(site.outputs) ~= "string" or not site.outputs:match("^/") then
      fail("_quarto.yml", ("pycells: outputs: '%s' must be a folder of the project, starting at its root with '/' "
        .. "(e.g. '/_outputs')"):format(tostring(site.outputs)))
    end
    config.outputsFolder = site.outputs:sub(2)
  end
  for key, value in pairs(page_defaults) do
    if type(value) == "string" then value = parse_scalar(value) end
    config.cellDefaults[key] = check_type("front matter cell-options", key, value)
  end
  for _, key in ipairs(PER_CELL_ONLY) do
    if config.cellDefaults[key] ~= nil then
      fail("front matter cell-options", ("option '%s' belongs to single cells, not to the page"):format(key))
    end
  end
  return config, offset
end

local function add_dependencies(meta, offset)
  if quarto and quarto.doc and quarto.doc.add_html_dependency then
    quarto.doc.add_html_dependency({
      name = "pycells", version = VERSION,
      scripts = { "codemirror.bundle.js", "pycells.js" },
      stylesheets = { "pycells.css" },
      resources = {
        { name = "pycells-worker.mjs", path = "pycells-worker.mjs" },
        { name = "pycells-engine.mjs", path = "pycells-engine.mjs" },
        { name = "pycells_support.py", path = "pycells_support.py" },
        { name = "pycells_mpl_backend.py", path = "pycells_mpl_backend.py" },
      },
    })
    return meta
  end
  local base = (offset == "." and "" or offset .. "/") .. "site_libs/pycells/"
  local tags = {
    ('<link rel="stylesheet" href="%spycells.css">'):format(base),
    ('<script defer src="%scodemirror.bundle.js"></script>'):format(base),
    ('<script defer src="%spycells.js"></script>'):format(base),
  }
  local includes = meta["header-includes"]
  if includes == nil then
    includes = pandoc.List()
  elseif pandoc.utils.type(includes) ~= "List" then
    includes = pandoc.List({ includes })
  end
  for _, tag in ipairs(tags) do includes:insert(pandoc.RawBlock("html", tag)) end
  meta["header-includes"] = includes
  return meta
end

local function json_script(id, data)
  local text = pandoc.json.encode(data):gsub("</", "<\\/")
  return pandoc.RawBlock("html", ('<script type="application/json" id="%s">%s</script>'):format(id, text))
end

local function is_pyodide_cell(block)
  return block.classes:includes("pyodide") or block.classes:includes("{pyodide}")
end

-- What a cell looks like before JavaScript runs.
local function cell_block(cell, shown)
  local opts = cell.options
  local classes = { "pycell" }
  local attributes = { ["data-pycell"] = tostring(cell.index) }
  local hidden = opts.include == false or opts.setup or opts.check or opts.solution or opts.hint
  if hidden then attributes.hidden = "hidden" end
  if opts.hint then
    classes[#classes + 1] = "pycell-hint"   -- prose, whose math MathJax typesets
  else
    -- mathjax_ignore (MathJax 3's name; tex2jax_ignore is MathJax 2's): MathJax must not look
    -- inside code, where it would rewrite the editor's text (a "\\" in the code) and the output.
    classes[#classes + 1] = "mathjax_ignore"
    classes[#classes + 1] = "tex2jax_ignore"
  end
  if opts.solution then classes[#classes + 1] = "pycell-solution" end
  local content = {}
  if shown then
    content = shown
  elseif opts.hint then
    content = pandoc.read(cell.code, "markdown").blocks
  elseif opts.echo ~= false then
    content = { pandoc.CodeBlock(cell.code, { class = "python" }) }
  end
  local id = "pycell-" .. (opts.label or tostring(cell.index))
  return pandoc.Div(content, pandoc.Attr(id, classes, attributes))
end

-- What a cell's options ask of the engine when the cell runs: figure size (fig-width, fig-height, in
-- inches) and resolution (fig-dpi), the namespace (envir), whether warnings show (warning). The page
-- runtime and the course build pass it to the engine as it is.
local FIGURE_OPTIONS = { ["fig-width"] = "width", ["fig-height"] = "height", ["fig-dpi"] = "dpi" }

local function run_settings(o)
  local figure = {}
  for option, key in pairs(FIGURE_OPTIONS) do
    if o[option] then figure[key] = o[option] end
  end
  return { figure = next(figure) and figure or nil, envir = o.envir, warnings = o.warning }
end

-- ---------------------------------------------------------------- outputs from the build
-- A site may ship each cell's output in the page, so that it shows before the engine has run
-- (and with JavaScript off, and in print). Its build runs the cells and writes, per page, the
-- JSON file <outputs folder>/<page path>.json: {cells: {"<cell index>": {code_sha1, outputs:
-- [{kind: "stdout" | "stderr" | "result" | "error", text} | {kind: "figure", png}]}}}.
-- A record is used only for a cell the reader runs with its Run button ("code" role, not part of
-- an exercise) whose code is still the code the build ran.

local function project_root(meta)
  if quarto and quarto.project and quarto.project.directory then return quarto.project.directory end
  local given = meta["project-root"]
  return given and pandoc.utils.stringify(given) or "."
end

local function read_build_outputs(config, meta)
  if not config.outputsFolder then return nil end
  local page = (input_file_name():gsub("%.%w+$", ""))
  local path = ("%s/%s/%s.json"):format(project_root(meta), config.outputsFolder, page)
  local file = io.open(path, "r")
  if not file then
    io.stderr:write(("pycells: %s: no outputs from the build at %s: the page shows no output until a cell runs "
      .. "(the project's pre-render writes them)\n"):format(input_file_name(), path))
    return nil
  end
  local text = file:read("a")
  file:close()
  local ok, data = pcall(pandoc.json.decode, text, false)
  if not ok or type(data) ~= "table" or type(data.cells) ~= "table" then
    fail(path, "not a JSON file of cell outputs; delete it and render again")
  end
  return data.cells
end

local function shows_build_output(cell)
  return cell.role == "code" and cell.run == "button" and cell.options.output ~= false
end

local function escape_html(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

local OUTPUT_NOTE = '<p class="pycell-prerendered-note">Output computed when the course was built.</p>'

-- The cell's output as the build recorded it, as the page runtime shows a live one.
local function build_output_block(cell, record)
  local parts, figures = { OUTPUT_NOTE }, 0
  for _, output in ipairs(record.outputs or {}) do
    if output.kind == "figure" then
      figures = figures + 1
      local alt = cell.options["fig-alt"] or ("Figure " .. figures)
      local image = ('<img class="pycell-figure" src="data:image/png;base64,%s" alt="%s">')
        :format(output.png, (escape_html(alt):gsub('"', "&quot;")))
      local caption = cell.options["fig-cap"]
      if caption then
        image = ('<figure class="pycell-figure-box">%s<figcaption>%s</figcaption></figure>'):format(image, escape_html(caption))
      end
      parts[#parts + 1] = image
    else
      parts[#parts + 1] = ('<pre class="pycell-%s">%s</pre>'):format(output.kind, escape_html(output.text or ""))
    end
  end
  return pandoc.RawBlock("html", ('<div class="pycell-output pycell-prerendered" aria-label="Output">%s</div>')
    :format(table.concat(parts)))
end

-- Put the build's output into each cell that shows it (and mark those cells `prerendered`).
local function add_build_outputs(blocks, cells, records)
  local by_index = {}
  for _, cell in ipairs(cells) do
    local record = records[tostring(cell.index)]
    if shows_build_output(cell) and record and record.code_sha1 == pandoc.utils.sha1(cell.code) then
      by_index[tostring(cell.index)] = build_output_block(cell, record)
      cell.prerendered = true
    end
  end
  return blocks:walk({
    Div = function(div)
      local block = div.classes:includes("pycell") and by_index[div.attributes["data-pycell"]]
      if not block then return nil end
      div.content:insert(block)
      div.attributes["data-prerendered"] = "true"
      return div
    end,
  })
end

local function merged_options(defaults, own)
  local opts = {}
  for k, v in pairs(DEFAULTS) do opts[k] = v end
  for k, v in pairs(defaults) do opts[k] = v end
  for k, v in pairs(own) do opts[k] = v end
  return opts
end

-- What each cell is, when it runs, and which cells form each exercise: decided here once and
-- written into the page config, where the page runtime, the chapter harness, the notebooks and
-- the tests read it.
--   role: "code", "exercise", "setup", "hint", "solution" or "check"
--   run:  "page-load" (hidden, run once when the engine starts, in page order),
--         "button" (an editor the reader runs), "with-exercise" (run around its exercise's code
--         each time: setup before, checks after), "never" (not run by the page)
local function role_of(cell)
  local o, found = cell.options, {}
  for _, name in ipairs(ROLE_OPTIONS) do
    if o[name] then found[#found + 1] = name end
  end
  if #found > 1 then
    fail(cell_name(cell.index, o.label), ("options '%s' exclude each other"):format(table.concat(found, "' and '")))
  end
  if #found == 1 then return found[1] end
  return o.exercise and "exercise" or "code"
end

local function run_of(cell)
  local o, role = cell.options, cell.role
  if not o.eval or role == "hint" or role == "solution" then return "never" end
  if role == "check" or (role == "setup" and o.exercise) then return "with-exercise" end
  if role == "setup" or (role == "code" and not o.include) then return "page-load" end
  return "button"
end

local function new_group()
  return { setup = pandoc.List(), hint = pandoc.List(), solution = pandoc.List(), check = pandoc.List() }
end

-- Check labels and exercise groups; return the groups: id -> {cell, setup, hint, solution, check}.
local function plan_cells(cells)
  local labels, exercises = {}, {}
  for _, cell in ipairs(cells) do
    local o, where = cell.options, cell_name(cell.index, cell.options.label)
    cell.role = role_of(cell)
    cell.run = run_of(cell)
    if o.label then
      if labels[o.label] then
        fail(where, ("label '%s' already used by cell %d"):format(o.label, labels[o.label]))
      end
      labels[o.label] = cell.index
    end
    local group = o.exercise and exercises[o.exercise]
    if cell.role == "exercise" then
      if group then
        fail(where, ("exercise '%s' already has its exercise cell (cell %d)"):format(o.exercise, group.cell))
      end
      group = new_group()
      group.cell = cell.index
      exercises[o.exercise] = group
    elseif cell.role ~= "code" and cell.role ~= "setup" then
      if not o.exercise then
        fail(where, ("option '%s' needs option 'exercise'"):format(cell.role))
      end
      if not group then
        fail(where, ("%s of exercise '%s' comes before the exercise cell (or there is none)"):format(cell.role, o.exercise))
      end
    end
  end
  for _, cell in ipairs(cells) do
    local o = cell.options
    if o.exercise and cell.role ~= "exercise" and cell.role ~= "code" then
      local group = exercises[o.exercise]
      if not group then
        fail(cell_name(cell.index, o.label), ("setup for exercise '%s', which has no exercise cell"):format(o.exercise))
      end
      group[cell.role]:insert(cell.index)
    end
  end
  return exercises
end

-- A quarto-live hint or solution written as a fenced div, `::: {.hint exercise="ex_1"}`, as a
-- cell of its exercise: a hint keeps its text; a solution's code is its first code block.
local function div_cell(div, index, defaults)
  local role = (div.classes:includes("hint") and "hint") or (div.classes:includes("solution") and "solution")
  if not role or not div.attributes.exercise then return nil end
  local code = pandoc.write(pandoc.Pandoc(div.content), "markdown")
  if role == "solution" then
    code = nil
    div:walk({ CodeBlock = function(block) code = code or block.text end })
    if not code then fail(cell_name(index), "a solution div needs a code block with the solution's code") end
  end
  return { index = index, code = code, optionLines = 0, fromDiv = true,
           options = merged_options(defaults, { exercise = div.attributes.exercise, [role] = true }) }
end

function Pandoc(doc)
  if doc.meta["pycells-done"] then return nil end   -- listed twice (by the project and by live-html)
  local given = doc.meta["page-source"]
  source_name = given and pandoc.utils.stringify(given) or nil
  local config, offset = read_config(doc.meta)
  local cells, clients = {}, 0
  local walked = doc:walk({
    traverse = "topdown",   -- cells are numbered in page order, divs before what they hold
    CodeBlock = function(block)
      if not is_pyodide_cell(block) then return nil end
      local index = #cells + 1
      if block.identifier ~= "" or #block.attributes > 0 or #block.classes > 1 then
        fail(cell_name(index), "write options as '#|' lines inside the cell, not as fence attributes")
      end
      local own, code, option_lines = split_options(block.text, index)
      local cell = { index = index, code = code, optionLines = option_lines,
                     options = merged_options(config.cellDefaults, own) }
      cells[index] = cell
      return cell_block(cell), false
    end,
    Div = function(div)
      if div.classes:includes("pycells-client") then clients = clients + 1 end
      local cell = div_cell(div, #cells + 1, config.cellDefaults)
      if not cell then return nil end
      cells[cell.index] = cell
      return cell_block(cell, div.content), false
    end,
  })
  if #cells == 0 and clients == 0 then return nil end
  config.exercises = plan_cells(cells)
  local records = read_build_outputs(config, doc.meta)
  if records then walked.blocks = add_build_outputs(walked.blocks, cells, records) end
  config.cells = pandoc.List()
  for _, cell in ipairs(cells) do
    config.cells:insert({ index = cell.index, name = cell_name(cell.index, cell.options.label),
                          file = cell_file(cell.index), code = cell.code, options = cell.options, role = cell.role,
                          run = cell.run, settings = run_settings(cell.options), optionLines = cell.optionLines,
                          fromDiv = cell.fromDiv or false, buildOutput = shows_build_output(cell),
                          prerendered = cell.prerendered or false })
  end
  config.cellDefaults = nil
  config.outputsFolder = nil
  walked.blocks:insert(json_script("pycells-config", config))
  walked.meta = add_dependencies(walked.meta, offset)
  walked.meta["pycells-done"] = true
  return walked
end
