class Script {
  process_incoming_request({ request }) {
    const alerts = request.content.alerts || [];
    const firing = alerts.filter((a) => a.status === 'firing');
    return {
      content: {
        text: `${firing.length} alert(s) firing`,
        attachments: firing.map((a) => ({
          title: a.labels.alertname,
          text: a.annotations?.summary ?? '',
          color: a.labels.severity === 'critical' ? '#d00000' : '#e8a317',
        })),
      },
    };
  }
}
