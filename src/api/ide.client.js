// The GraphQL IDE's boot script: runs in the browser, after React, ReactDOM and GraphiQL's UMD
// bundles, and is served as it is written (no build step, no TypeScript). The server passes its
// settings in the page's #ide-config JSON block, since the page's policy allows no inline script.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('ide-config').textContent);

  // GraphiQL's fetcher, with credentials omitted: in production the page is reached with an
  // operator's Basic sign-in, which a browser would otherwise attach to every request to this
  // origin, and /graphql only takes a Bearer token or an API key (the headers editor's).
  function fetcher(params, options) {
    var headers = Object.assign({ 'content-type': 'application/json', accept: 'application/json' }, options && options.headers);
    return fetch(config.endpoint, { method: 'POST', credentials: 'omit', headers: headers, body: JSON.stringify(params) }).then(
      function (response) {
        return response.text().then(function (text) {
          try {
            return JSON.parse(text);
          } catch (error) {
            return {
              errors: [{ message: 'HTTP ' + response.status + ': the answer is not JSON', extensions: { body: text.slice(0, 500) } }],
            };
          }
        });
      },
    );
  }

  function render(schema) {
    var props = {
      fetcher: fetcher,
      defaultQuery: config.defaultQuery,
      defaultHeaders: config.defaultHeaders,
      // A pasted token stays in the tab, not in localStorage.
      shouldPersistHeaders: false,
      isHeadersEditorEnabled: true,
    };
    // With introspection off (production) the schema comes from the committed SDL; GraphiQL would
    // otherwise ask the server and get an error.
    if (schema) props.schema = schema;
    ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
  }

  function fail(message) {
    var box = document.getElementById('graphiql');
    box.textContent = message;
    box.setAttribute('role', 'alert');
  }

  document.documentElement.style.height = '100%';
  document.body.style.height = '100%';
  document.body.style.margin = '0';
  document.getElementById('graphiql').style.height = '100vh';

  if (!config.sdl) return render(null);
  fetch(config.sdl, { credentials: 'same-origin' })
    .then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.text();
    })
    .then(function (sdl) {
      render(GraphiQL.GraphQL.buildSchema(sdl));
    })
    .catch(function (error) {
      fail('The schema could not be loaded: ' + error.message);
    });
})();
